import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Service, type Task } from '@aws-sdk/client-ecs';

const MAX_PAGES = 10;

/**
 * What a person needs to see while a rollout runs or after it failed: the service's events since
 * the update, and why the new deployment's tasks stopped. Each is printed once, oldest first.
 */
export function rolloutReporter(client: ECSClient, options: { cluster: string; service: string; since: Date; log: (line: string) => void }) {
  const printedEvents = new Set<string>();
  const seenTasks = new Set<string>();
  let tasksUnavailable = false;

  const events = (service: Service) => {
    // ECS lists events newest first; reversed, ties keep their order.
    const fresh = [...(service.events ?? [])]
      .reverse()
      .flatMap((e) =>
        e.createdAt && e.createdAt >= options.since ? [{ key: e.id ?? e.message ?? '', at: e.createdAt, message: e.message ?? '' }] : [],
      )
      .filter((e) => !printedEvents.has(e.key))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const e of fresh) {
      printedEvents.add(e.key);
      options.log(`  event ${e.at.toISOString()} ${e.message}`);
    }
  };

  /** Stopped tasks of one deployment. ListTasks takes startedBy only alone, so the filter is ours. */
  const stoppedTasks = async (deploymentId: string) => {
    if (tasksUnavailable) return;
    try {
      const unseen = (await listStopped()).filter((arn) => !seenTasks.has(arn));
      for (let i = 0; i < unseen.length; i += 100) {
        const { tasks } = await client.send(new DescribeTasksCommand({ cluster: options.cluster, tasks: unseen.slice(i, i + 100) }));
        for (const task of tasks ?? []) {
          // A task still stopping has no exit codes yet: it is described again on the next poll.
          if (task.lastStatus !== 'STOPPED' || !task.taskArn) continue;
          seenTasks.add(task.taskArn);
          if (task.startedBy === deploymentId) options.log(`  ${stoppedLine(task)}`);
        }
      }
    } catch (error) {
      // Progress is a help, not the rollout: a role without ecs:ListTasks/DescribeTasks still deploys.
      tasksUnavailable = true;
      options.log(`  (stopped tasks not shown: ${(error as Error).name}: ${(error as Error).message})`);
    }
  };

  // ECS keeps stopped tasks for about an hour; a busy service can have hundreds.
  const listStopped = async () => {
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const listed = await client.send(
        new ListTasksCommand({ cluster: options.cluster, serviceName: options.service, desiredStatus: 'STOPPED', maxResults: 100, nextToken }),
      );
      arns.push(...(listed.taskArns ?? []));
      nextToken = listed.nextToken;
      if (!nextToken) break;
    }
    return arns;
  };

  return { events, stoppedTasks };
}

/** "task 1a2b3c stopped: Essential container in task exited (users exit 1; envoy exit 0)". */
export function stoppedLine(task: Task): string {
  const id = task.taskArn?.split('/').at(-1) ?? '?';
  const containers = (task.containers ?? []).map(
    (c) => `${c.name}${c.exitCode === undefined ? '' : ` exit ${c.exitCode}`}${c.reason ? `: ${c.reason}` : ''}`,
  );
  return `task ${id} stopped: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${containers.length ? ` (${containers.join('; ')})` : ''}`;
}
