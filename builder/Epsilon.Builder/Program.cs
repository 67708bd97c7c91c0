using Epsilon.Builder;

await BuilderApplication.Build(args).RunAsync();
