/**
 * Structured JSON logs (Powertools Logger): one logger per process, created at module scope. Never log
 * a whole request body: payee accounts are masked by the rules that mention them, and bodies may carry
 * more than a log should.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'fundflow' });
