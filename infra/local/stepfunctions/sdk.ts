/**
 * Default `callSdk`: the same operation through the AWS SDK v3, against the endpoints the SDK
 * reads from `AWS_ENDPOINT_URL_*` itself.
 */
import { UnsupportedIntegrationError } from './errors';
import type { CallSdk } from './resources';

interface SdkClient {
  send(command: unknown): Promise<Record<string, unknown>>;
}
type CommandClass = new (input: unknown) => unknown;
type ClientClass = new (config: { region: string }) => SdkClient;

interface ServiceModule {
  client: ClientClass;
  commands: Record<string, unknown>;
}

const SERVICES: Record<string, () => Promise<ServiceModule>> = {
  dynamodb: async () => {
    const mod = await import('@aws-sdk/client-dynamodb');
    return { client: mod.DynamoDBClient as unknown as ClientClass, commands: mod };
  },
  ses: async () => {
    const mod = await import('@aws-sdk/client-ses');
    return { client: mod.SESClient as unknown as ClientClass, commands: mod };
  },
  sfn: async () => {
    const mod = await import('@aws-sdk/client-sfn');
    return { client: mod.SFNClient as unknown as ClientClass, commands: mod };
  },
};

export function createDefaultCallSdk(region: string): CallSdk {
  const clients = new Map<
    string,
    Promise<{ client: SdkClient; commands: Record<string, unknown> }>
  >();
  const load = (
    service: string,
  ): Promise<{ client: SdkClient; commands: Record<string, unknown> }> => {
    let loaded = clients.get(service);
    if (!loaded) {
      const loader = SERVICES[service];
      if (!loader) {
        const known = Object.keys(SERVICES).join(', ');
        throw new UnsupportedIntegrationError(
          `The local Step Functions service cannot call '${service}' (supported: ${known})`,
        );
      }
      loaded = loader().then((mod) => ({
        client: new mod.client({ region: process.env.AWS_REGION ?? region }),
        commands: mod.commands,
      }));
      clients.set(service, loaded);
    }
    return loaded;
  };

  return async (service, action, parameters) => {
    const { client, commands } = await load(service.toLowerCase());
    const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
    const Command = commands[commandName];
    if (typeof Command !== 'function') {
      throw new UnsupportedIntegrationError(`'${service}' has no action '${action}'`);
    }
    const { $metadata: _metadata, ...output } = await client.send(
      new (Command as CommandClass)(parameters),
    );
    return output;
  };
}
