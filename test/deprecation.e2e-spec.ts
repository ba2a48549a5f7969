import { Controller, Get, NotFoundException, Param, VersioningType } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiOperation, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { Deprecated, installDeprecationHeaders } from '../src/common/http/deprecated.decorator.js';

const since = new Date('2026-11-01T00:00:00Z');
const sunset = new Date('2027-05-01T00:00:00Z');

/** A test-only resource: an old operation deprecated in favour of a new one. */
@Controller('widgets')
class WidgetsController {
  @Get('new/:id')
  @ApiOperation({ summary: 'A widget' })
  current(@Param('id') id: string) {
    return { id };
  }

  @Deprecated({ since, sunset, successor: '/v1/widgets/new/{id}' })
  @ApiOperation({ summary: 'A widget (old path)', description: 'The first path of widgets.' })
  @Get('old/:id')
  old(@Param('id') id: string) {
    if (id === 'missing') throw new NotFoundException();
    return { id };
  }
}

describe('@Deprecated(): a deprecated operation keeps working and says so', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [WidgetsController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    installDeprecationHeaders(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('answers Deprecation (RFC 9745), Sunset (RFC 8594) and a Link to its successor', async () => {
    const res = await request(app.getHttpServer()).get('/v1/widgets/old/7').expect(200);
    expect(res.body).toEqual({ id: '7' });
    expect(res.headers.deprecation).toBe(`@${since.getTime() / 1000}`);
    expect(res.headers.deprecation).toBe('@1793491200');
    expect(res.headers.sunset).toBe('Sat, 01 May 2027 00:00:00 GMT');
    expect(res.headers.link).toBe('</v1/widgets/new/{id}>; rel="successor-version"');
  });

  it('says so on its errors too, and not on other operations', async () => {
    const missing = await request(app.getHttpServer()).get('/v1/widgets/old/missing').expect(404);
    expect(missing.headers.deprecation).toBe('@1793491200');
    const current = await request(app.getHttpServer()).get('/v1/widgets/new/7').expect(200);
    expect(current.headers).not.toHaveProperty('deprecation');
    expect(current.headers).not.toHaveProperty('sunset');
  });

  it('is marked deprecated in the OpenAPI document, with its successor and sunset', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const old = doc.paths['/v1/widgets/old/{id}'].get!;
    expect(old.deprecated).toBe(true);
    expect(old.summary).toBe('A widget (old path)');
    expect(old.description).toMatch(/^The first path of widgets\. Deprecated: use \/v1\/widgets\/new\/\{id\}; works until Sat, 01 May 2027/);
    expect(doc.paths['/v1/widgets/new/{id}'].get!.deprecated).toBeUndefined();
  });
});
