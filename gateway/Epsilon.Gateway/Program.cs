using Epsilon.Gateway;

await GatewayApplication.Build(args, ownProcess: true).RunAsync();
