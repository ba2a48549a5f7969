import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../config/app-config.js';
import { AccessTokens } from './access-tokens.service.js';
import { JwtStrategy } from './jwt.strategy.js';

/**
 * Who the caller is and what they may do: access tokens (signed here, verified by JwtStrategy for
 * the global JwtAuthGuard), roles and the route decorators. Accounts (sign-up, sign-in, refresh
 * tokens) are accounts/.
 */
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [JwtStrategy, AccessTokens],
  exports: [AccessTokens],
})
export class AuthModule {}
