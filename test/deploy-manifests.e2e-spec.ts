import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { manifestProblems } from '../deploy/kubernetes/checks.js';
import { OUTPUT, renderManifests } from '../deploy/kubernetes/generate.js';
import { defaultSettings } from '../deploy/kubernetes/settings.js';
import { AppConfig } from '../src/config/app-config.js';
import { validateEnvironment } from '../src/config/environment.js';
import { assertServable } from '../src/config/serving-requirements.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML */
const committed = readFileSync(OUTPUT, 'utf8');
const parse = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, any>);
const problemsOf = (docs: Record<string, any>[]) => manifestProblems(docs, { postgresMaxConnections: defaultSettings.postgresMaxConnections });
const deploymentOf = (docs: Record<string, any>[]) => docs.find((d) => d.kind === 'Deployment')!;
const copy = () => parse(committed);

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('the committed YAML is what manifests.ts generates (npm run deploy:generate)', () => {
    expect(committed).toBe(renderManifests());
  });

  it('are valid against the Kubernetes schema and pass every check', () => {
    const docs = parse(committed);
    expect(docs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'PodDisruptionBudget', 'Service']);
    expect(problemsOf(docs)).toEqual([]);
  });

  it('give the container a configuration the service accepts in production', () => {
    const docs = parse(committed);
    const config = docs.find((d) => d.kind === 'ConfigMap')!.data as Record<string, string>;
    const [api] = deploymentOf(docs).spec.template.spec.containers;
    expect(api.envFrom).toEqual([{ configMapRef: { name: docs.find((d) => d.kind === 'ConfigMap')!.metadata.name } }]);
    const fromSecret = (api.env as Array<{ name: string; valueFrom?: { secretKeyRef?: { key: string } } }>).map((e) => e.valueFrom?.secretKeyRef?.key);
    expect(fromSecret).toEqual(['DATABASE_URL', 'JWT_SECRET', 'REDIS_URL']);
    // Only variables the service reads: the environment's class declares each of them.
    const declared = readFileSync('src/config/environment.ts', 'utf8');
    for (const name of [...Object.keys(config), ...fromSecret]) expect(declared).toMatch(new RegExp(`^\\s+${name}[?!]?(:| =)`, 'm'));
    // The Secret's values, as a team would fill them in.
    const secrets = {
      DATABASE_URL: 'postgresql://shop:pw@db:5432/shop',
      JWT_SECRET: 'k4Tq9vX2mP7wL0sB8nR3yF6hJ1cG5dZ-aE9uI4oW2tQ',
      REDIS_URL: 'redis://redis:6379',
    };
    const appConfig = new AppConfig(validateEnvironment({ ...config, ...secrets }));
    expect(() => assertServable(appConfig)).not.toThrow();
    expect(appConfig.isProduction).toBe(true);
    expect(appConfig.database.migrateOnStart).toBe(false);
    expect(appConfig.metrics.port).toBe(defaultSettings.metricsPort);
  });

  it.each([
    ['no readiness probe', (d: Record<string, any>) => delete d.spec.template.spec.containers[0].readinessProbe, /no readiness probe/],
    [
      'liveness on readiness',
      (d: Record<string, any>) => (d.spec.template.spec.containers[0].livenessProbe.httpGet.path = '/health/ready'),
      /no liveness probe on \/health\/live/,
    ],
    [
      'a grace period shorter than preStop + drain',
      (d: Record<string, any>) => (d.spec.template.spec.terminationGracePeriodSeconds = 15),
      /terminationGracePeriodSeconds \(15\) must exceed the preStop sleep \(5 s\) \+ the drain \(10 s\)/,
    ],
    ['no preStop', (d: Record<string, any>) => delete d.spec.template.spec.containers[0].lifecycle, /no preStop sleep/],
    ['root', (d: Record<string, any>) => (d.spec.template.spec.securityContext = { runAsUser: 0 }), /the pod may run as root/],
    [
      'a writable root filesystem',
      (d: Record<string, any>) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false),
      /writable root filesystem/,
    ],
    ['a fixed replica count', (d: Record<string, any>) => (d.spec.replicas = 3), /fights the HorizontalPodAutoscaler/],
    [
      'a schema violation',
      (d: Record<string, any>) => (d.spec.template.spec.containers[0].ports[0].containerPort = 'http'),
      /schema: .*containerPort must be integer/,
    ],
  ])('reports %s', (_what, breakIt, expected) => {
    const docs = copy();
    breakIt(deploymentOf(docs));
    expect(problemsOf(docs).join('\n')).toMatch(expected);
  });

  it('reports more database connections than PostgreSQL allows', () => {
    const docs = copy();
    docs.find((d) => d.kind === 'HorizontalPodAutoscaler')!.spec.maxReplicas = 20;
    expect(problemsOf(docs).join('\n')).toMatch(/maxReplicas × DB_POOL_MAX = 200 connections, more than max_connections \(100\)/);
  });
});
