using System.Diagnostics;
using Supervision.Security;
using Supervision.Testing;
using Xunit.Abstractions;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>
/// The local host as a process of its own on a test's Azurite and task hub, for the tests that kill it (SIGKILL, its
/// whole tree) and start it again: what a crash of the app does, which an in-process host cannot show.
/// </summary>
internal static class LocalHostProcess
{
    /// <summary>Starts the host on <paramref name="port"/>, polling its engine's queues briskly, with <paramref name="settings"/> (<c>--Key=Value</c>) last.</summary>
    public static Process Start(ITestOutputHelper output, AzuriteFixture azurite, string hub, int port, params string[] settings) => DotnetProcess.Start(
        output,
        Path.Combine(AppContext.BaseDirectory, "Supervision.LocalHost.dll"),
        [
            $"--urls=http://127.0.0.1:{port}",
            "--Azurite:Start=false",
            $"--Supervision:Storage:ConnectionString={azurite.ConnectionString}",
            $"--LocalEngine:TaskHubName={hub}",
            "--LocalEngine:PartitionCount=1",
            "--LocalEngine:MaxQueuePollingInterval=00:00:00.5",
            "--LocalEngine:VisibilityTimeout=00:00:05",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);

    /// <summary>A client of the host on <paramref name="port"/>, signed in through the development headers when <paramref name="user"/> is given.</summary>
    public static HttpClient Client(int port, string? user = null, string? roles = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(DevelopmentSignIn.UserHeader, user);
            client.DefaultRequestHeaders.Add(DevelopmentSignIn.RolesHeader, roles);
        }

        return client;
    }

    /// <summary>Waits for the host to answer health: started, or started again after a kill.</summary>
    public static Task WaitHealthyAsync(HttpClient http) => Eventually.UntilAsync(
        async () =>
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync("/api/health");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        },
        TimeSpan.FromSeconds(60),
        "the local host to answer health");
}
