import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

/** Opts a route (or controller) out of the global JWT guard. Routes are protected by default. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
