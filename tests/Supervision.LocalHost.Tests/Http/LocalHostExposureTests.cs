using System.Net;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>The local host's development sign-in is for this machine only: loopback addresses and host names alone.</summary>
[Collection(SharedAzurite.Http)]
public sealed class LocalHostExposureTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("http://0.0.0.0:7071")]
    [InlineData("http://*:7071")]
    [InlineData("http://+:7071")]
    [InlineData("http://192.0.2.10:7071")]
    [InlineData("http://127.0.0.1:7071;http://example.com:7072")]
    public void TheLocalHost_RefusesToListenBeyondLoopback(string urls)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => LocalHostApp.Create(["--Azurite:Start=false", $"--urls={urls}"]));

        Assert.Contains(LocalHostApp.AllowRemoteSetting, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:7071")]
    [InlineData("http://[::1]:7071")]
    [InlineData("http://localhost:7071")]
    public void TheLocalHost_ListensWhereItIsTold_OnLoopbackOrWhenTheOperatorOptsIn(string urls)
    {
        string optIn = urls.Contains("0.0.0.0", StringComparison.Ordinal) ? "true" : "false";

        Assert.NotNull(LocalHostApp.Create(["--Azurite:Start=false", $"--urls={urls}", $"--{LocalHostApp.AllowRemoteSetting}={optIn}"]));
    }

    [Fact]
    public async Task ARequestForAnotherHostName_IsRefused_WhileLoopbackNamesAreServed()
    {
        await using RunningLocalHost host = await RunningLocalHost.StartAsync(azurite);
        using HttpClient client = host.Anonymous();

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        foreign.Headers.Host = "attacker.example";
        using HttpResponseMessage refused = await client.SendAsync(foreign);
        using var local = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        local.Headers.Host = $"localhost:{host.Address.Port}";
        using HttpResponseMessage served = await client.SendAsync(local);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotEqual(HttpStatusCode.BadRequest, served.StatusCode);
    }
}
