import Docker from 'dockerode';

/** Docker's zero time: a container that was created but never started has this StartedAt. */
const NEVER = '0001-01-01T00:00:00Z';

export interface ContainerState {
  id: string;
  name: string;
  service: string;
  /** created, running, exited, … */
  status: string;
  exitCode: number;
  /** Undefined when the container was never started / has not finished. */
  startedAt?: Date;
  finishedAt?: Date;
  health?: string;
  image: string;
  user: string;
  /** PID 1 of the container's command line as configured (entrypoint + cmd). */
  init: boolean;
}

/** A container to run from an image, as a compose service would (network, volumes, init). */
export interface ContainerSpec {
  name: string;
  image: string;
  env: string[];
  /** A command instead of the image's. */
  command?: string[];
  network: string;
  /** "volume:/mount/point" bindings. */
  binds: string[];
  labels: Record<string, string>;
  /** Started this long after the others. */
  delayMs?: number;
  /** Started only once this holds (polled every 250 ms, up to a minute), e.g. once another holds a lock. */
  startWhen?: () => Promise<boolean>;
}

export interface ContainerRun {
  exitCode: number;
  /** stdout and stderr, interleaved as written. */
  output: string;
}

/** The Docker engine, through its API (dockerode): containers, inspect, events. */
export class Engine {
  constructor(private readonly docker: Docker = new Docker()) {}

  /** True when an engine answers within the timeout. */
  async available(timeoutMs = 3000): Promise<boolean> {
    try {
      await Promise.race([this.docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);
      return true;
    } catch {
      return false;
    }
  }

  /** Every container of a compose project (running or not), with its state. */
  async projectContainers(project: string): Promise<ContainerState[]> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    const states = await Promise.all(list.map((c) => this.inspect(c.Id)));
    return states.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The containers of one compose service. */
  async serviceContainers(project: string, service: string): Promise<ContainerState[]> {
    return (await this.projectContainers(project)).filter((c) => c.service === service);
  }

  async inspect(id: string): Promise<ContainerState> {
    const info = await this.docker.getContainer(id).inspect();
    const started = info.State.StartedAt;
    const finished = info.State.FinishedAt;
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      service: info.Config.Labels?.['com.docker.compose.service'] ?? '',
      status: info.State.Status,
      exitCode: info.State.ExitCode,
      ...(started && started !== NEVER ? { startedAt: new Date(started) } : {}),
      ...(finished && finished !== NEVER ? { finishedAt: new Date(finished) } : {}),
      ...(info.State.Health ? { health: info.State.Health.Status } : {}),
      image: info.Config.Image,
      user: info.Config.User,
      init: Boolean(info.HostConfig.Init),
    };
  }

  /** Host port published for a container port, e.g. 3000/tcp → 49153. */
  async publishedPort(id: string, containerPort: number): Promise<number | undefined> {
    const info = await this.docker.getContainer(id).inspect();
    const binding =
      info.NetworkSettings.Ports?.[`${containerPort}/tcp`]?.find((b) => b.HostIp === '0.0.0.0' || b.HostIp === '') ??
      info.NetworkSettings.Ports?.[`${containerPort}/tcp`]?.[0];
    return binding ? Number(binding.HostPort) : undefined;
  }

  /** What the container's last health checks printed, oldest first. */
  async healthOutput(id: string): Promise<string[]> {
    const info = await this.docker.getContainer(id).inspect();
    return (info.State.Health?.Log ?? []).map((entry) => `exit ${entry.ExitCode}${entry.Output.trim() ? `: ${entry.Output.trim()}` : ''}`);
  }

  /** Host ports published for any port of a container ("0.0.0.0:49153"). */
  async publishedBindings(id: string): Promise<string[]> {
    const info = await this.docker.getContainer(id).inspect();
    return Object.values(info.NetworkSettings.Ports ?? {})
      .flat()
      .filter((binding) => binding !== null && binding !== undefined)
      .map((binding) => `${binding.HostIp}:${binding.HostPort}`);
  }

  async networkExists(name: string): Promise<boolean> {
    return (await this.docker.listNetworks({ filters: { name: [name] } })).some((network) => network.Name === name);
  }

  /**
   * Creates every container first, then starts them (each after its delay), waits for all of them
   * and removes them: containers started at the same instant, for races.
   */
  async runTogether(specs: readonly ContainerSpec[]): Promise<ContainerRun[]> {
    const containers = await Promise.all(
      specs.map((spec) =>
        this.docker.createContainer({
          name: spec.name,
          Image: spec.image,
          Env: spec.env,
          ...(spec.command ? { Cmd: spec.command } : {}),
          Labels: spec.labels,
          HostConfig: { NetworkMode: spec.network, Init: true, Binds: spec.binds },
        }),
      ),
    );
    try {
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      await Promise.all(
        containers.map(async (container, index) => {
          const { delayMs = 0, startWhen } = specs[index]!;
          await sleep(delayMs);
          for (const deadline = Date.now() + 60_000; startWhen && !(await startWhen()); await sleep(250)) {
            if (Date.now() > deadline) throw new Error(`${specs[index]!.name}: what it waits for to start never happened`);
          }
          await container.start();
        }),
      );
      return await Promise.all(
        containers.map(async (container) => {
          const { StatusCode } = (await container.wait()) as { StatusCode: number };
          const logs = await container.logs({ stdout: true, stderr: true });
          return { exitCode: StatusCode, output: demultiplex(logs) };
        }),
      );
    } finally {
      await Promise.all(containers.map((container) => container.remove({ force: true }).catch(() => {})));
    }
  }

  /** What a container has written so far (stdout and stderr, interleaved). */
  async containerOutput(name: string): Promise<string> {
    return demultiplex(await this.docker.getContainer(name).logs({ stdout: true, stderr: true }));
  }

  /** Lifecycle events (start, die, health_status…) of a project's containers in a time window. */
  async events(project: string, since: Date, until: Date): Promise<{ service: string; action: string; time: Date }[]> {
    const stream = await this.docker.getEvents({
      since: Math.floor(since.getTime() / 1000),
      until: Math.ceil(until.getTime() / 1000),
      filters: { type: ['container'], label: [`com.docker.compose.project=${project}`] },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: Record<string, string> } })
      .map((event) => ({
        service: event.Actor.Attributes['com.docker.compose.service'] ?? '',
        action: event.Action,
        time: new Date(event.timeNano / 1e6),
      }));
  }

  /** Image metadata used by the checks: user, environment, history (for secrets). */
  async imageInfo(reference: string): Promise<{ user: string; env: string[]; layers: string[] }> {
    const image = this.docker.getImage(reference);
    const [info, history] = await Promise.all([image.inspect(), image.history() as Promise<{ CreatedBy: string }[]>]);
    return { user: info.Config.User ?? '', env: info.Config.Env ?? [], layers: history.map((h) => h.CreatedBy) };
  }
}

/** Docker's log stream for containers without a TTY: 8-byte frame headers, then the payload. */
function demultiplex(buffer: Buffer): string {
  let text = '';
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(offset + 4);
    text += buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return text;
}
