namespace Epsilon.Builder.Deployments;

/// <summary>A build that prints without end keeps a bounded log: its start, its end and how much was cut between.</summary>
public sealed class DeploymentLogTests
{
    [Fact]
    public void A_log_within_its_bounds_is_kept_whole()
    {
        var log = new DeploymentLog(100, 100);
        log.Append("step 1\r\n");
        log.AppendBlock("a\nb\n");

        Assert.Equal("step 1\na\nb\n", log.ToString());
        Assert.Equal(11, log.Written);
    }

    [Fact]
    public void Megabytes_of_output_keep_the_head_and_the_tail_with_a_line_saying_how_much_was_cut()
    {
        var log = new DeploymentLog(1024, 1024);
        log.Append("fetching the repository");
        for (var i = 0; i < 100_000; i++)
        {
            log.Append($"npm output line {i:D6} ....................");
        }

        log.Append("error: the install script failed");

        var text = log.ToString();
        Assert.StartsWith("fetching the repository\nnpm output line 000000", text, StringComparison.Ordinal);
        Assert.EndsWith("npm output line 099999 ....................\nerror: the install script failed\n", text, StringComparison.Ordinal);
        var cut = log.Written - 2048;
        Assert.Contains($"\n[... {cut} characters of build output cut here: the log keeps the first 1024 and the last 1024 ...]\n", text, StringComparison.Ordinal);
        Assert.InRange(text.Length, 2048, 2048 + 200);
        Assert.Equal("error: the install script failed", log.LastLineStartingWith("error:"));
    }

    [Fact]
    public void One_huge_write_keeps_only_its_end()
    {
        var log = new DeploymentLog(10, 10);

        log.AppendBlock(new string('x', 1_000_000) + "0123456789");

        Assert.Equal("xxxxxxxxxx\n[... 999990 characters of build output cut here: the log keeps the first 10 and the last 10 ...]\n0123456789", log.ToString());
    }

    [Fact]
    public void A_reader_that_follows_gets_what_was_written_and_is_told_what_it_missed_when_it_falls_behind_the_cut()
    {
        var log = new DeploymentLog(8, 8);
        log.AppendBlock("head\n");
        var first = log.ReadFrom(0, out var position);
        Assert.Equal("head\n", first);

        log.AppendBlock("abc\n");
        Assert.Equal("abc\n", log.ReadFrom(position, out position));
        Assert.Equal(9, position);

        log.AppendBlock(new string('-', 100) + "\nend\n");
        var rest = log.ReadFrom(position, out position);

        Assert.Equal("[... 97 characters of build output cut here: the log keeps the first 8 and the last 8 ...]\n---\nend\n", rest);
        Assert.Equal(log.Written, position);
        Assert.Equal("", log.ReadFrom(position, out _));
    }
}
