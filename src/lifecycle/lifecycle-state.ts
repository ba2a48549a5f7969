import { Injectable } from '@nestjs/common';

/** Process lifecycle flags read by the readiness probe. */
@Injectable()
export class LifecycleState {
  private draining = false;

  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
