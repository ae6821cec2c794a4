import { type Config, configValue } from '../config.ts';

/** The URL emails link to and forms come from, without a trailing slash. */
export const publicBaseUrl = (config: Config) => configValue(config, 'PUBLIC_BASE_URL').replace(/\/$/, '');
