import { Injectable } from '@nestjs/common';

/** Whether the process is shutting down: readiness turns 503 at once, before the listener closes. */
@Injectable()
export class Lifecycle {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }
}
