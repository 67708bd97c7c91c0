namespace Epsilon.Core.Contracts;

public sealed class EserverlessNamesTests
{
    [Theory]
    [InlineData("https://github.com/User/Repo.git", "user-repo")]
    [InlineData("https://github.com/User/Repo/", "user-repo")]
    [InlineData("/tmp/work/my_user/my.repo", "my-user-my-repo")]
    [InlineData("acme/shop", "acme-shop")]
    [InlineData("https://github.com/1acme/shop", null)]
    [InlineData("repo", null)]
    [InlineData("", null)]
    public void ProjectName_TakesTheLastTwoSegments(string repository, string? expected)
    {
        Assert.Equal(expected, EserverlessNames.ProjectName(repository));
    }

    [Theory]
    [InlineData("evan-node-example", "API", "evan-node-example-api")]
    [InlineData("evan-node-example", "getUser", "evan-node-example-getuser")]
    [InlineData("acme-shop", "list_items", "acme-shop-list-items")]
    [InlineData("acme-shop", "a__b_", "acme-shop-a-b")]
    [InlineData("Acme-Shop", "Hello", "acme-shop-hello")]
    public void FunctionName_IsProjectDashNameLowerCasedWithInvalidCharactersReplaced(string project, string function, string expected)
    {
        Assert.Equal(expected, EserverlessNames.FunctionName(project, function));
    }

    [Fact]
    public void FunctionName_OfADeployedProject_IsWhatTheGatewayRouteResolves()
    {
        var project = EserverlessNames.ProjectName("https://github.com/Evan/Node-Example")!;

        Assert.Equal(EserverlessNames.FunctionName(project, "Say_Hello"), EserverlessNames.FunctionName("Evan-Node-Example", "say_hello"));
    }
}
