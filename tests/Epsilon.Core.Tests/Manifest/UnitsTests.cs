namespace Epsilon.Core.Manifest;

public sealed class UnitsTests
{
    public static TheoryData<string, TimeSpan> Durations => new()
    {
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "30s", TimeSpan.FromSeconds(30) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "1h", TimeSpan.FromHours(1) },
        { "2", TimeSpan.FromSeconds(2) },
        { "1.5s", TimeSpan.FromMilliseconds(1500) },
        { " 10s ", TimeSpan.FromSeconds(10) },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void TryParseDuration_ValidText_ReturnsDuration(string text, TimeSpan expected)
    {
        Assert.True(Units.TryParseDuration(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("0s")]
    [InlineData("0")]
    [InlineData("-1s")]
    [InlineData("5d")]
    [InlineData("99999999999999999999h")]
    [InlineData("9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999s")]
    [InlineData("5 m")]
    [InlineData("1.s")]
    [InlineData(".5s")]
    [InlineData("ten seconds")]
    [InlineData("5S")]
    [InlineData("1e3ms")]
    public void TryParseDuration_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(Units.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData("128Mi", 128L * 1024 * 1024)]
    [InlineData("1Gi", 1024L * 1024 * 1024)]
    [InlineData("512M", 512_000_000L)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("65536Ki", 64L * 1024 * 1024)]
    [InlineData("1.5Gi", 1536L * 1024 * 1024)]
    [InlineData("2k", 2000L)]
    [InlineData("1048576", 1048576L)]
    public void TryParseMemory_ValidText_ReturnsBytes(string text, long expected)
    {
        Assert.True(Units.TryParseMemory(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Mi")]
    [InlineData("0Mi")]
    [InlineData("0")]
    [InlineData("-128Mi")]
    [InlineData("128MB")]
    [InlineData("128mi")]
    [InlineData("128 Mi")]
    [InlineData("1Ti")]
    [InlineData("lots")]
    public void TryParseMemory_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(Units.TryParseMemory(text, out _));
    }
}
