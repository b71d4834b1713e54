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

/** The Docker engine, through its API (dockerode): containers, inspect, events. */
export class Engine {
  constructor(readonly docker: Docker = new Docker()) {}

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
