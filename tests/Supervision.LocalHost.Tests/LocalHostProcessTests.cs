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

    [Fact]
    public async Task AHostKilledWithItsProcessGroup_LosesNoAcknowledgedOnboarding_WhenTheRunCommandStartsItAgain()
    {
        int apiPort = FreePorts.Next();
        string dataDirectory = Path.Combine(Path.GetTempPath(), "supervision-localhost-" + Guid.NewGuid().ToString("N"));
        string[] settings = Settings(apiPort, dataDirectory);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Dev-User", "test-procurement");
        http.DefaultRequestHeaders.Add("X-Dev-Roles", "procurement");
        var acknowledged = new List<string>();
        Process? restarted = null;
        int crashedGroup = 0;
        try
        {
            using (Process crashed = DotnetProcess.Start(output, HostAssembly, settings, ownProcessGroup: true))
            {
                crashedGroup = crashed.Id;
                await Eventually.GetAsync(() => TryGetHealthAsync(http), TimeSpan.FromSeconds(60), "the first host to answer health");
                for (int i = 0; i < 10; i++)
                {
                    using HttpResponseMessage started = await http.PostAsync("/api/engagements", new StringContent(Onboarding, System.Text.Encoding.UTF8, "application/json"));
                    Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
                    acknowledged.Add((string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!);
                }

                // Everything in the host's process group, at once, without a chance to save: a crash.
                await KillGroupAsync(crashedGroup);
                using var gone = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await crashed.WaitForExitAsync(gone.Token);
            }

            restarted = DotnetProcess.Start(output, HostAssembly, settings);
            await Eventually.GetAsync(() => TryGetHealthAsync(http), TimeSpan.FromSeconds(60), "the restarted host to answer health");
            foreach (string id in acknowledged)
            {
                using HttpResponseMessage read = await http.GetAsync($"/api/engagements/{id}");
                Assert.True(read.StatusCode == HttpStatusCode.OK, $"Engagement {id}, acknowledged before the crash, answers {(int)read.StatusCode}.");
            }
        }
        finally
        {
            if (crashedGroup != 0 && IsRunning(crashedGroup))
                await KillGroupAsync(crashedGroup);
            if (restarted is not null)
            {
                using (Process? term = Process.Start("kill", $"-TERM {restarted.Id}"))
                    await term!.WaitForExitAsync();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await restarted.WaitForExitAsync(grace.Token);
                restarted.Dispose();
            }

            StopAzuriteLeftIn(dataDirectory);
        }
    }

    private const string Onboarding = """
        {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"en"},
         "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
         "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"}
        """;

    private static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "Supervision.LocalHost.dll");

    private static string[] Settings(int apiPort, string dataDirectory) =>
    [
        $"--urls=http://127.0.0.1:{apiPort}",
        $"--Azurite:DataDirectory={dataDirectory}",
        $"--Azurite:BlobPort={FreePorts.Next()}",
        $"--Azurite:QueuePort={FreePorts.Next()}",
        $"--Azurite:TablePort={FreePorts.Next()}",
        $"--LocalEngine:TaskHubName={AzuriteFixture.NewTaskHub()}",
    ];

    private static async Task KillGroupAsync(int processGroup)
    {
        // "--": the kill program would read a negative process group as an option.
        using Process? kill = Process.Start("kill", $"-KILL -- -{processGroup}");
        await kill!.WaitForExitAsync();
    }

    /// <summary>A failed test must not leave an Azurite running: it is in a session of its own.</summary>
    private static void StopAzuriteLeftIn(string dataDirectory)
    {
        string pidFile = Path.Combine(dataDirectory, "azurite.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && IsRunning(pid))
        {
            using Process azurite = Process.GetProcessById(pid);
            azurite.Kill(entireProcessTree: true);
        }
    }

    private Process StartHost(int apiPort, string dataDirectory) => DotnetProcess.Start(output, HostAssembly, Settings(apiPort, dataDirectory));

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
