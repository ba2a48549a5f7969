import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';

/* eslint-disable @typescript-eslint/no-explicit-any -- these checks read parsed YAML, whatever its shape */
type Doc = Record<string, any>;

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  ConfigMap,
  Deployment,
  Service,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  Job,
};
/** SHUTDOWN_TIMEOUT_MS's default in src/config/environment.ts. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** Connections PostgreSQL keeps for superusers, the migration Job and an operator's psql. */
const RESERVED_CONNECTIONS = 10;

/**
 * What is wrong with a set of manifests (parsed YAML documents), as sentences; empty when nothing.
 * Schema (each object against the Kubernetes OpenAPI schema, offline), then the properties a
 * rolling update and a hardened pod depend on.
 */
export function manifestProblems(docs: Doc[], { postgresMaxConnections = 100 } = {}): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => docs.filter((d) => d?.kind === kind);
  for (const doc of docs) {
    const Model = MODELS[doc?.kind];
    if (!Model) {
      problems.push(`unexpected object kind ${doc?.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (err) {
      problems.push(`${doc.kind} ${doc.metadata?.name}: schema: ${(err as Error).message}`);
    }
  }
  for (const kind of Object.keys(MODELS)) if (byKind(kind).length === 0) problems.push(`no ${kind}`);
  const [deployment] = byKind('Deployment');
  const [config] = byKind('ConfigMap');
  if (!deployment) return problems;

  const pod = deployment.spec?.template?.spec ?? {};
  const podLabels = deployment.spec?.template?.metadata?.labels ?? {};
  const [api] = pod.containers ?? [];
  const where = `Deployment ${deployment.metadata?.name}`;
  if (deployment.spec?.replicas !== undefined) problems.push(`${where}: spec.replicas is set, so every apply fights the HorizontalPodAutoscaler`);
  if (api?.readinessProbe?.httpGet?.path !== '/health/ready') problems.push(`${where}: no readiness probe on /health/ready`);
  if (api?.livenessProbe?.httpGet?.path !== '/health/live')
    problems.push(`${where}: no liveness probe on /health/live (never on readiness: a database outage must not restart pods)`);
  if (!api?.resources?.requests?.cpu || !api?.resources?.requests?.memory)
    problems.push(`${where}: no CPU and memory requests (the autoscaler needs the CPU request)`);
  if (!api?.resources?.limits?.memory) problems.push(`${where}: no memory limit`);

  const preStop = api?.lifecycle?.preStop;
  const preStopSeconds = preStop?.sleep?.seconds ?? Number(preStop?.exec?.command?.[0] === 'sleep' ? preStop.exec.command[1] : NaN);
  if (!(preStopSeconds > 0)) problems.push(`${where}: no preStop sleep (the endpoint must go before the listener closes)`);
  const env = { ...(config?.data ?? {}), ...Object.fromEntries((api?.env ?? []).filter((e: Doc) => e.value !== undefined).map((e: Doc) => [e.name, e.value])) };
  const drainSeconds = (Number(env.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) + Number(env.SHUTDOWN_DELAY_MS ?? 0)) / 1000;
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  if (!(grace > (preStopSeconds || 0) + drainSeconds)) {
    problems.push(
      `${where}: terminationGracePeriodSeconds (${grace}) must exceed the preStop sleep (${preStopSeconds || 0} s) + the drain (${drainSeconds} s), or the kubelet kills requests mid-answer`,
    );
  }

  const podsAndJobs = [{ where, pod }, ...byKind('Job').map((job) => ({ where: `Job ${job.metadata?.name}`, pod: job.spec?.template?.spec ?? {} }))];
  for (const { where: w, pod: p } of podsAndJobs) {
    if (p.securityContext?.runAsNonRoot !== true || p.securityContext?.runAsUser === 0) problems.push(`${w}: the pod may run as root`);
    if (p.hostNetwork || p.hostPID || p.hostIPC) problems.push(`${w}: shares a host namespace`);
    for (const c of [...(p.containers ?? []), ...(p.initContainers ?? [])]) {
      const sc = c.securityContext ?? {};
      if (sc.runAsUser === 0 || sc.runAsNonRoot === false || sc.privileged) problems.push(`${w}: container ${c.name} runs as root or privileged`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${w}: container ${c.name} allows privilege escalation`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${w}: container ${c.name} has a writable root filesystem`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${w}: container ${c.name} keeps Linux capabilities`);
      if (!(c.image ?? '').includes(':') || (c.image ?? '').endsWith(':latest')) problems.push(`${w}: container ${c.name} image not pinned to a version`);
    }
  }

  const matches = (selector: Doc | undefined) => !!selector && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
  const portNames = new Set((api?.ports ?? []).map((p: Doc) => p.name));
  for (const service of byKind('Service')) {
    if (!matches(service.spec?.selector)) problems.push(`Service ${service.metadata?.name}: its selector does not match the pods`);
    for (const port of service.spec?.ports ?? []) {
      if (typeof port.targetPort === 'string' && !portNames.has(port.targetPort))
        problems.push(`Service ${service.metadata?.name}: targetPort ${port.targetPort} is no container port`);
    }
  }
  for (const pdb of byKind('PodDisruptionBudget')) {
    if (!matches(pdb.spec?.selector?.matchLabels)) problems.push(`PodDisruptionBudget ${pdb.metadata?.name}: its selector does not match the pods`);
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const target = hpa.spec?.scaleTargetRef;
    if (target?.kind !== 'Deployment' || target?.name !== deployment.metadata?.name)
      problems.push(`HorizontalPodAutoscaler ${hpa.metadata?.name}: does not scale ${where}`);
    if ((hpa.spec?.minReplicas ?? 1) < 2)
      problems.push(`HorizontalPodAutoscaler ${hpa.metadata?.name}: fewer than 2 replicas leaves no one serving during a restart`);
    const connections = (hpa.spec?.maxReplicas ?? 0) * Number(env.DB_POOL_MAX ?? 10);
    if (connections > postgresMaxConnections - RESERVED_CONNECTIONS) {
      problems.push(
        `HorizontalPodAutoscaler ${hpa.metadata?.name}: maxReplicas × DB_POOL_MAX = ${connections} connections, more than max_connections (${postgresMaxConnections}) − ${RESERVED_CONNECTIONS} reserved`,
      );
    }
  }
  return problems;
}
