import { Injectable } from '@nestjs/common';

/** Set when the process has been asked to stop: readiness fails so load balancers drain it. */
@Injectable()
export class ShutdownState {
  draining = false;
}
