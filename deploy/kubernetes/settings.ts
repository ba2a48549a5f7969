/**
 * The knobs of the Kubernetes manifests. Timings are tied to the service's own defaults
 * (README, "Timeouts and limits"): the pod's grace period must outlast the preStop sleep plus
 * the drain (SHUTDOWN_TIMEOUT_MS), or the kubelet kills requests mid-answer.
 */
export interface DeploySettings {
  name: string;
  namespace: string;
  image: string;
  version: string;
  /** Secret (created by the team, not by these manifests) with DATABASE_URL, JWT_SECRET, REDIS_URL. */
  secretName: string;
  port: number;
  metricsPort: number;
  /** node's uid in the official Node.js images (the Dockerfile's USER node). */
  uid: number;
  minReplicas: number;
  maxReplicas: number;
  /** DB_POOL_MAX: maxReplicas × this, plus the migration Job, must stay below PostgreSQL's max_connections. */
  dbPoolMax: number;
  postgresMaxConnections: number;
  shutdownTimeoutMs: number;
  preStopSleepSeconds: number;
  terminationGracePeriodSeconds: number;
  cpuRequest: string;
  memoryRequest: string;
  memoryLimit: string;
}

export const defaultSettings: DeploySettings = {
  name: 'shop-api',
  namespace: 'shop',
  image: 'registry.example.com/shop-api:0.1.0',
  version: '0.1.0',
  secretName: 'shop-api',
  port: 3000,
  metricsPort: 9464,
  uid: 1000,
  minReplicas: 2,
  maxReplicas: 8,
  dbPoolMax: 10,
  postgresMaxConnections: 100,
  shutdownTimeoutMs: 10_000,
  preStopSleepSeconds: 5,
  terminationGracePeriodSeconds: 25,
  cpuRequest: '500m',
  memoryRequest: '256Mi',
  memoryLimit: '768Mi',
};
