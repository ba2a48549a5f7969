import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import { prettyTransport } from './pretty-transport.js';

/** Paths pino replaces with "[Redacted]" in every log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-metrics-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
];

/** `clientIp`: the client behind a trusted proxy (TRUST_PROXY), set by hardening/client-ip.ts. */
type RawRequest = IncomingMessage & { id?: string; routeTemplate?: string; clientIp?: string };
const clientIp = (req: IncomingMessage) => (req as RawRequest).clientIp ?? req.socket?.remoteAddress;

/**
 * pino via nestjs-pino: JSON lines (pretty only when LOG_PRETTY is on), one line per
 * request with its id, method, route template, status and duration; secrets redacted.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.log.level,
          transport: prettyTransport(config.log.pretty),
          redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
          genReqId: (req: IncomingMessage) => (req as RawRequest).id ?? 'unknown',
          customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
          // One compact line per request; headers are never logged (redact is a second line of defence).
          serializers: {
            req: (req: { method: string; url: string; remoteAddress?: string }) => ({
              method: req.method,
              url: req.url,
              remoteAddress: req.remoteAddress,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customSuccessObject: (req: IncomingMessage, res: ServerResponse, value: Record<string, unknown>) => ({
            ...value,
            clientIp: clientIp(req),
            route: (req as RawRequest).routeTemplate,
            status: res.statusCode,
          }),
          customErrorObject: (req: IncomingMessage, res: ServerResponse, _err: Error, value: Record<string, unknown>) => ({
            ...value,
            clientIp: clientIp(req),
            route: (req as RawRequest).routeTemplate,
            status: res.statusCode,
          }),
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          quietReqLogger: true,
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
