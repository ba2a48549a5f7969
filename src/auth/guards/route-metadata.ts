import type { ExecutionContext, Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

type Handler = (...args: never[]) => unknown;

/**
 * A decorator's value for the route being served (the handler's, else its controller's), read
 * once per route: metadata is fixed once the app has started, and the global guards would
 * otherwise walk it through reflect-metadata on every request.
 */
export function routeMetadata<T>(reflector: Reflector, key: string): (context: ExecutionContext) => T | undefined {
  const byClass = new WeakMap<Type, WeakMap<Handler, { value: T | undefined }>>();
  return (context) => {
    const handler = context.getHandler() as Handler;
    const controller = context.getClass();
    let byHandler = byClass.get(controller);
    if (!byHandler) byClass.set(controller, (byHandler = new WeakMap()));
    let entry = byHandler.get(handler);
    if (!entry) byHandler.set(handler, (entry = { value: reflector.getAllAndOverride<T>(key, [handler, controller]) }));
    return entry.value;
  };
}
