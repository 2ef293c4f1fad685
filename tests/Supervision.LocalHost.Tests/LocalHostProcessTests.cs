using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Supervision.Testing;
using Xunit.Abstractions;

namespace Supervision.LocalHost.Tests;

/// <summary>The README's run command: the local host starts its own Azurite, answers health, binds only loopback, and leaves nothing behind.</summary>
public sealed class LocalHostProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LocalHost_StartsAzurite_AnswersHealthWithin60Seconds_ListensOnlyOnLoopback_AndStopsAzuriteOnSigterm()
    {
        int apiPort = FreePorts.Next();
        string dataDirectory = Path.Combine(Path.GetTempPath(), "supervision-localhost-" + Guid.NewGuid().ToString("N"));
        using Process host = StartHost(apiPort, dataDirectory);
        int azuritePid = 0;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(5) };
            var started = Stopwatch.StartNew();
            JsonObject health = await Eventually.GetAsync(() => TryGetHealthAsync(http), TimeSpan.FromSeconds(60), "GET /api/health to answer 200");
            output.WriteLine($"healthy after {started.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal("Healthy", (string?)health["status"]);

            azuritePid = int.Parse(await File.ReadAllTextAsync(Path.Combine(dataDirectory, "azurite.pid")), CultureInfo.InvariantCulture);
            IReadOnlyList<IPEndPoint> listening = [.. ListeningSockets.Of(host.Id), .. ListeningSockets.Of(azuritePid)];
            Assert.Contains(listening, endpoint => endpoint.Port == apiPort);
            Assert.Equal(4, listening.Count);
            Assert.All(listening, endpoint => Assert.True(IPAddress.IsLoopback(endpoint.Address), $"{endpoint} is not loopback"));
        }
        finally
        {
            using (Process? term = Process.Start("kill", $"-TERM {host.Id}"))
                await term!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.WaitForExitAsync(grace.Token);
        }

        Assert.True(azuritePid > 0);
        Assert.False(IsRunning(azuritePid), $"Azurite {azuritePid} outlived the host");
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public void LocalHost_DefaultsToLoopbackPort7071()
    {
        IConfiguration settings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
            .Build();

        Assert.Equal("http://127.0.0.1:7071", settings["Urls"]);
    }

    private Process StartHost(int apiPort, string dataDirectory) => DotnetProcess.Start(
        output,
        Path.Combine(AppContext.BaseDirectory, "Supervision.LocalHost.dll"),
        [
            $"--urls=http://127.0.0.1:{apiPort}",
            $"--Azurite:DataDirectory={dataDirectory}",
            $"--Azurite:BlobPort={FreePorts.Next()}",
            $"--Azurite:QueuePort={FreePorts.Next()}",
            $"--Azurite:TablePort={FreePorts.Next()}",
            $"--LocalEngine:TaskHubName={AzuriteFixture.NewTaskHub()}",
        ]);

    private static async Task<JsonObject?> TryGetHealthAsync(HttpClient http)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync("/api/health");
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
