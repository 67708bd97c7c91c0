using System.CommandLine;
using System.Globalization;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon audit</c>: the builder's audit log of control-plane actions, newest first (needs an admin token).</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var limit = new Option<int?>("--limit") { Description = "How many entries, newest first: 1 to 1000 (default 100)" };
        var json = CliContext.JsonOption();
        var command = new Command("audit", "Show the audit log: who did what, when, from where, and how it ended (admin)") { limit, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var path = "audit" + (result.GetValue(limit) is { } count ? "?limit=" + count.ToString(CultureInfo.InvariantCulture) : "");
            var page = await builder.GetJsonAsync(path, cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, page);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ID", "TIME", "ACTOR", "TOKEN", "SOURCE", "ACTION", "TARGET", "STATUS", "OUTCOME", "DETAIL");
            foreach (var entry in page.GetProperty("entries").EnumerateArray())
            {
                table.AddRow(
                    Output.Text(entry, "id"),
                    Output.Time(entry, "at"),
                    Markup.Escape(Output.Text(entry, "actor")),
                    Markup.Escape(Output.Text(entry, "actorId")),
                    Markup.Escape(Output.Text(entry, "source")),
                    Markup.Escape(Output.Text(entry, "action")),
                    Markup.Escape(Output.Text(entry, "target")),
                    Output.Text(entry, "status"),
                    Output.Text(entry, "outcome"),
                    Markup.Escape(Output.Text(entry, "detail")));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
