import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AppConfig } from '../config/app-config.js';
import { UsersModule } from '../users/users.module.js';
import { AccountsService } from './accounts.service.js';
import { AdminAccountsService } from './admin-accounts.service.js';
import { AuthController } from './auth.controller.js';
import { PasswordHashingSlots } from './password-hashing-slots.js';
import { PasswordService } from './password.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

/** Accounts: /v1/auth (register, login, refresh, logout), passwords, refresh tokens, and admin accounts for the seed and create-admin. */
@Module({
  imports: [AuthModule, UsersModule],
  controllers: [AuthController],
  providers: [
    AccountsService,
    PasswordService,
    { provide: PasswordHashingSlots, inject: [AppConfig], useFactory: (config: AppConfig) => new PasswordHashingSlots(config.passwordHashing) },
    RefreshTokensRepository,
    AdminAccountsService,
  ],
  exports: [AdminAccountsService, PasswordService],
})
export class AccountsModule {}
