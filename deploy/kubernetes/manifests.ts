import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { Service } from 'kubernetes-models/v1/Service';
import { createHash } from 'node:crypto';
import { type DeploySettings, defaultSettings } from './settings.js';

export type Manifest = ConfigMap | Deployment | Service | HorizontalPodAutoscaler | PodDisruptionBudget | Job;

/**
 * The service on Kubernetes: ConfigMap (plain settings), Deployment, Service, HPA, PDB and the
 * migration Job of this version. The Secret is referenced, never generated: the team creates it
 * (README, "Deploying on Kubernetes"). Every object is checked against the Kubernetes schema by
 * `validate()` (kubernetes-models) before it is written.
 */
export function shopApiManifests(s: DeploySettings = defaultSettings): Manifest[] {
  const labels = { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/part-of': s.name };
  const metadata = (name: string, component: string) => ({
    name,
    namespace: s.namespace,
    labels: { ...labels, 'app.kubernetes.io/component': component, 'app.kubernetes.io/version': s.version },
  });
  const apiSelector = { ...labels, 'app.kubernetes.io/component': 'api' };
  const configName = `${s.name}-config`;

  const secretEnv = (...names: string[]): IEnvVar[] => names.map((name) => ({ name, valueFrom: { secretKeyRef: { name: s.secretName, key: name } } }));

  const podSecurity: IPodSecurityContext = {
    runAsNonRoot: true,
    runAsUser: s.uid,
    runAsGroup: s.uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const containerSecurity: ISecurityContext = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
  // The root filesystem is read-only; Node and its libraries may still want a scratch /tmp.
  const tmp = { volume: { name: 'tmp', emptyDir: { medium: 'Memory' as const, sizeLimit: '16Mi' } }, mount: { name: 'tmp', mountPath: '/tmp' } };

  const config = new ConfigMap({
    metadata: metadata(configName, 'api'),
    data: {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: String(s.port),
      METRICS_PORT: String(s.metricsPort),
      DB_POOL_MAX: String(s.dbPoolMax),
      SHUTDOWN_TIMEOUT_MS: String(s.shutdownTimeoutMs),
      // Ingress controllers and node proxies sit on private addresses.
      TRUST_PROXY: 'uniquelocal',
      LOG_LEVEL: 'info',
      MIGRATE_ON_START: 'false',
    },
  });

  const api: IContainer = {
    name: 'api',
    image: s.image,
    ports: [
      { name: 'http', containerPort: s.port },
      { name: 'metrics', containerPort: s.metricsPort },
    ],
    envFrom: [{ configMapRef: { name: configName } }],
    env: secretEnv('DATABASE_URL', 'JWT_SECRET', 'REDIS_URL'),
    resources: {
      requests: { cpu: s.cpuRequest, memory: s.memoryRequest },
      // No CPU limit: throttling a Node process stalls its event loop (argon2 bursts) without
      // saving anything the request does not already reserve. Memory is bounded (heap 512 MB).
      limits: { memory: s.memoryLimit },
    },
    // Up to a minute to start (migrations are a Job; this is Prisma and Nest initialising).
    startupProbe: { httpGet: { path: '/health/live', port: 'http' }, periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 },
    // Restart only a process that no longer answers at all; a database outage is not a reason.
    livenessProbe: { httpGet: { path: '/health/live', port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    // The readiness ping itself gives up after 2 s.
    readinessProbe: { httpGet: { path: '/health/ready', port: 'http' }, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 3 },
    // The endpoint is removed while the pod terminates, but proxies learn it with a delay: keep
    // serving meanwhile, then SIGTERM starts the drain (SHUTDOWN_TIMEOUT_MS).
    lifecycle: { preStop: { exec: { command: ['sleep', String(s.preStopSleepSeconds)] } } },
    securityContext: containerSecurity,
    volumeMounts: [tmp.mount],
  };

  const deployment = new Deployment({
    metadata: metadata(s.name, 'api'),
    spec: {
      // No replicas: the HorizontalPodAutoscaler owns the count (a fixed one would fight it on every apply).
      selector: { matchLabels: apiSelector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: { ...apiSelector, 'app.kubernetes.io/version': s.version },
          // A changed ConfigMap changes the template, so the pods roll and read it.
          annotations: { 'shop-api/config-sha256': createHash('sha256').update(JSON.stringify(config.data)).digest('hex').slice(0, 16) },
        },
        spec: {
          terminationGracePeriodSeconds: s.terminationGracePeriodSeconds,
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: apiSelector } },
          ],
          containers: [api],
          volumes: [tmp.volume],
        },
      },
    },
  });

  const service = new Service({
    metadata: metadata(s.name, 'api'),
    spec: {
      type: 'ClusterIP',
      selector: apiSelector,
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: s.metricsPort, targetPort: 'metrics' },
      ],
    },
  });

  const autoscaler = new HorizontalPodAutoscaler({
    metadata: metadata(s.name, 'api'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.name },
      minReplicas: s.minReplicas,
      maxReplicas: s.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    },
  });

  const disruptionBudget = new PodDisruptionBudget({
    metadata: metadata(s.name, 'api'),
    spec: { maxUnavailable: 1, selector: { matchLabels: apiSelector } },
  });

  // One Job per version (a Job's template cannot change): apply it, wait for completion, then the Deployment.
  const migration = new Job({
    metadata: metadata(`${s.name}-migrate-${s.version.replace(/[^a-z0-9-]/gi, '-')}`, 'migration'),
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'migration' } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          containers: [
            {
              name: 'migrate',
              image: s.image,
              command: ['node', 'dist/cli/migrate.main.js', 'up'],
              env: [{ name: 'NODE_ENV', value: 'production' }, ...secretEnv('DATABASE_URL')],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              securityContext: containerSecurity,
              volumeMounts: [tmp.mount],
            },
          ],
          volumes: [tmp.volume],
        },
      },
    },
  });

  const manifests = [config, deployment, service, autoscaler, disruptionBudget, migration];
  for (const manifest of manifests) manifest.validate();
  return manifests;
}
