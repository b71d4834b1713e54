/**
 * Docker Swarm through the engine API (dockerode): the node's swarm state, a service's spec and
 * its tasks. Used to check a deployed stack (the end-to-end tests of stack.yaml).
 */
import Docker from 'dockerode';

const docker = new Docker();

export interface SwarmTask {
  id: string;
  /** Job run this task belongs to (jobs only). */
  jobIteration?: number;
  state: string;
  desiredState: string;
  image: string;
  createdAt: Date;
  /** When the task reached its current state. */
  stateSince: Date;
  containerId?: string;
  error?: string;
}

export async function swarmState(): Promise<string> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  return info.Swarm?.LocalNodeState ?? 'inactive';
}

/** Tasks of a service (current and history), oldest first. */
export async function serviceTasks(service: string): Promise<SwarmTask[]> {
  const tasks = (await docker.listTasks({ filters: { service: [service] } })) as {
    ID: string;
    JobIteration?: { Index?: number };
    Status: { State: string; Timestamp: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
    DesiredState: string;
    CreatedAt: string;
    Spec: { ContainerSpec: { Image: string } };
  }[];
  return tasks
    .map((task) => ({
      id: task.ID,
      ...(task.JobIteration ? { jobIteration: task.JobIteration.Index ?? 0 } : {}),
      state: task.Status.State,
      desiredState: task.DesiredState,
      image: task.Spec.ContainerSpec.Image.replace(/@sha256:[a-f0-9]+$/, ''),
      createdAt: new Date(task.CreatedAt),
      stateSince: new Date(task.Status.Timestamp),
      ...(task.Status.ContainerStatus?.ContainerID ? { containerId: task.Status.ContainerStatus.ContainerID } : {}),
      ...(task.Status.Err ? { error: task.Status.Err } : {}),
    }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export interface ServiceState {
  image: string;
  replicas?: number;
  updateState?: string;
  jobIteration?: number;
}

export async function serviceState(service: string): Promise<ServiceState> {
  const info = (await docker.getService(service).inspect()) as {
    Spec: { TaskTemplate: { ContainerSpec: { Image: string } }; Mode: { Replicated?: { Replicas?: number } } };
    UpdateStatus?: { State?: string };
    JobStatus?: { JobIteration?: { Index?: number } };
  };
  return {
    image: info.Spec.TaskTemplate.ContainerSpec.Image.replace(/@sha256:[a-f0-9]+$/, ''),
    ...(info.Spec.Mode.Replicated ? { replicas: info.Spec.Mode.Replicated.Replicas ?? 0 } : {}),
    ...(info.UpdateStatus?.State ? { updateState: info.UpdateStatus.State } : {}),
    ...(info.JobStatus ? { jobIteration: info.JobStatus.JobIteration?.Index ?? 0 } : {}),
  };
}
