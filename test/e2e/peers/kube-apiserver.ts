// A real Kubernetes control plane on loopback: etcd and kube-apiserver (both built from the Go module
// proxy), with cluster defaults like many managed clusters: RBAC, a token-file admin, service-account
// signing keys made now, and PodSecurity admission defaulting enforce, warn and audit to `baseline`
// (namespaces override it with their pod-security.kubernetes.io/* labels). No controller runs and
// nothing is scheduled: it answers what a cluster would accept (server-side apply, dry-run or not).
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:https';
import { join } from 'node:path';
import { freePorts, http, LOOPBACK, waitFor } from '../lib/net.js';
import { lastLine, start, stop, type Started } from '../lib/proc.js';

/** The cluster-wide Pod Security defaults (a namespace without labels gets these). */
export const CLUSTER_POD_SECURITY = 'baseline';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ControlPlane {
  kubeconfig: string;
  /** `kubectl --kubeconfig … ARGS` with `input` on stdin; never throws on a non-zero exit. */
  kubectl: (args: string[], input?: string) => Promise<KubectlResult>;
  stop: () => Promise<void>;
  logs: { etcd: string; apiserver: string };
}

const READY_MS = 60_000;
const KUBECTL_TIMEOUT_MS = 60_000;

function admissionConfig(level: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: PodSecurity
    configuration:
      apiVersion: pod-security.admission.config.k8s.io/v1
      kind: PodSecurityConfiguration
      defaults:
        enforce: ${level}
        enforce-version: latest
        audit: ${level}
        audit-version: latest
        warn: ${level}
        warn-version: latest
      exemptions:
        usernames: []
        runtimeClasses: []
        namespaces: []
`;
}

function kubeconfig(port: number, ca: string, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
  - name: e2e
    cluster:
      server: https://${LOOPBACK}:${port}
      certificate-authority: ${ca}
users:
  - name: e2e-admin
    user:
      token: ${token}
contexts:
  - name: e2e
    context: {cluster: e2e, user: e2e-admin, namespace: default}
current-context: e2e
`;
}

/** GET over TLS with the API server's own CA and the admin token; bounded. */
function httpsGet(
  url: string,
  ca: string,
  token: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(
      url,
      { agent: new Agent({ ca: readFileSync(ca) }), headers: { Authorization: `Bearer ${token}` }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/**
 * Starts etcd, then kube-apiserver, each on ports found free on 127.0.0.1, with every file (data,
 * certificates, keys, token, kubeconfig) in a new folder under `workDir`; resolves once /readyz is ok.
 */
export async function startControlPlane(
  bins: { kubernetesDir: string; etcd: string },
  workDir: string,
  logDir: string,
): Promise<ControlPlane> {
  const dir = mkdtempSync(join(workDir, 'control-plane-'));
  const [etcdClient, etcdPeer, apiPort] = (await freePorts(3)) as [number, number, number];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
  const logs = { etcd: join(logDir, 'etcd.log'), apiserver: join(logDir, 'kube-apiserver.log') };
  let etcd: Started | undefined;
  let apiserver: Started | undefined;
  const stopBoth = async () => {
    if (apiserver) await stop(apiserver);
    if (etcd) await stop(etcd);
    apiserver = etcd = undefined;
  };

  try {
    const etcdUrl = `http://${LOOPBACK}:${etcdClient}`;
    const peerUrl = `http://${LOOPBACK}:${etcdPeer}`;
    const etcdProc = start(
      bins.etcd,
      [
        '--name=e2e',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=e2e=${peerUrl}`,
        // Throwaway data: no fsync (much faster on a busy disk).
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      { log: logs.etcd, cwd: dir, env },
    );
    etcd = etcdProc;
    await waitFor(
      'etcd healthy',
      READY_MS,
      async (note) => {
        const r = await http(`${etcdUrl}/health`, { timeoutMs: 2000 });
        return r.status === 200 && /"health":\s*"true"/.test(r.body)
          ? true
          : (note(`${r.status} ${r.body}`), undefined);
      },
      { abort: () => (etcdProc.hasExited() ? `etcd exited: ${lastLine(logs.etcd)}` : undefined) },
    );

    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${token},e2e-admin,e2e-admin,"system:masters"\n`, { mode: 0o600 });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const saKey = join(dir, 'sa.key');
    const saPub = join(dir, 'sa.pub');
    writeFileSync(saKey, privateKey, { mode: 0o600 });
    writeFileSync(saPub, publicKey);
    const admission = join(dir, 'admission.yaml');
    writeFileSync(admission, admissionConfig(CLUSTER_POD_SECURITY));
    const certDir = join(dir, 'certs');
    mkdirSync(certDir);

    const apiProc = start(
      join(bins.kubernetesDir, 'kube-apiserver'),
      [
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${certDir}`,
        `--secure-port=${apiPort}`,
        `--bind-address=${LOOPBACK}`,
        `--advertise-address=${LOOPBACK}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC',
        '--enable-admission-plugins=PodSecurity',
        `--admission-control-config-file=${admission}`,
        '--profiling=false',
      ],
      { log: logs.apiserver, cwd: dir, env },
    );
    apiserver = apiProc;
    // The server writes its self-signed serving certificate (and the CA that signed it) on start.
    const ca = join(certDir, 'apiserver.crt');
    await waitFor(
      'kube-apiserver /readyz',
      READY_MS,
      async (note) => {
        const r = await httpsGet(`https://${LOOPBACK}:${apiPort}/readyz`, ca, token, 2000);
        return r.status === 200 ? true : (note(`${r.status} ${lastLine(logs.apiserver)}`), undefined);
      },
      {
        intervalMs: 500,
        abort: () => (apiProc.hasExited() ? `kube-apiserver exited: ${lastLine(logs.apiserver)}` : undefined),
      },
    );

    const config = join(dir, 'kubeconfig');
    writeFileSync(config, kubeconfig(apiPort, ca, token), { mode: 0o600 });
    const kubectlBin = join(bins.kubernetesDir, 'kubectl');
    const kubectlLog = join(logDir, 'kubectl.log');
    const cacheDir = join(dir, 'kubectl-cache');
    return {
      kubeconfig: config,
      logs,
      kubectl: (args, input) =>
        runKubectl(kubectlBin, ['--kubeconfig', config, '--cache-dir', cacheDir, ...args], env, kubectlLog, input),
      stop: stopBoth,
    };
  } catch (err) {
    await stopBoth();
    throw err;
  }
}

/** kubectl is short-lived: run directly (stdin, stdout and stderr all needed), killed at the bound. */
function runKubectl(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: string,
  input?: string,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, KUBECTL_TIMEOUT_MS);
    child.once('error', (e) => err.push(Buffer.from(String(e))));
    child.once('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      appendFileSync(log, `$ kubectl ${args.slice(4).join(' ')} (exit ${code})\n${stdout}${stderr}\n`);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.end(input ?? '');
  });
}
