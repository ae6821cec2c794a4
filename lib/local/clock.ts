/**
 * The local runtime's clock (DESIGN.md decision 8): real time, shifted by an offset that
 * `POST /api/dev/clock` sets — "now" becomes that instant and runs on from there. The offset is kept in
 * the data folder, so a restart keeps the time a demo was set to.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../app.ts';

export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<(now: Date) => void>();

  constructor(private readonly stateFile?: string) {
    if (stateFile && existsSync(stateFile)) {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { offsetMs?: unknown };
      if (typeof state.offsetMs === 'number') this.offsetMs = state.offsetMs;
    }
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
    if (this.stateFile) writeFileSync(this.stateFile, JSON.stringify({ offsetMs: this.offsetMs }));
    for (const listener of this.listeners) listener(this.now());
  }

  /** Called whenever the time is set (later: waits that follow the runtime's clock). */
  onChange(listener: (now: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
