using Epsilon.Builder;
using Epsilon.Builder.Auth;

if (args is [TokenCommand.Verb, .. var rest])
{
    return await TokenCommand.RunAsync(rest, Console.Out, Console.Error);
}

await BuilderApplication.Build(args).RunAsync();
return 0;
