using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Supervision.LocalHost.Tests.Http;
using Supervision.Mail;
using Supervision.Storage;
using Supervision.Testing;
using Xunit.Abstractions;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>
/// The local host as a separate process, killed (SIGKILL) after a mail's row was written <c>Sending</c> and before the
/// provider took the mail; the host started again on the same task hub sends that mail, once.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class MailSendingKillTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    // Longer than a restart takes, so the restarted attempt first finds the key in flight and the workflow's retry
    // takes it over once the lease has passed, as after a crash on Azure with the 10-minute default.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AMailLeftSending_ByAHostKilledBeforeTheProviderTookIt_IsSentOnceByTheRestartedHost()
    {
        await using HoldingSendGrid provider = await HoldingSendGrid.StartAsync();
        string hub = AzuriteFixture.NewTaskHub();
        int port = FreePorts.Next();
        TableClient mailLog = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableNames.Engagements);
        using HttpClient procurement = LocalHostProcess.Client(port, "test-procurement", "procurement");

        Process first = StartHost(hub, port, provider);
        Process? second = null;
        try
        {
            await LocalHostProcess.WaitHealthyAsync(procurement);
            string id = await OnboardAsync(procurement);
            string key = $"{id}.dd.request";

            // The due-diligence mail's row is written, and its send is stuck at the provider, which has not taken it.
            await Eventually.UntilAsync(() => Task.FromResult(provider.Held.Contains(key)), Patience, "the questionnaire mail to reach the provider");
            TableEntity sending = (await mailLog.GetEntityAsync<TableEntity>(id, MailLogRecord.Key(key))).Value;
            Assert.Equal(nameof(MailStatus.Sending), sending.GetString("Status"));
            DateTimeOffset claimedAt = sending.GetDateTimeOffset("UpdatedAt")!.Value;
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            output.WriteLine($"killed the host with mail {key} Sending at {DateTimeOffset.UtcNow:O}");
            provider.Release();
            Assert.Empty(provider.Delivered);

            second = StartHost(hub, port, provider);
            TableEntity sent = await Eventually.GetAsync(
                async () => (await mailLog.GetEntityIfExistsAsync<TableEntity>(id, MailLogRecord.Key(key))).Value is { } row && row.GetString("Status") == nameof(MailStatus.Sent) ? row : null,
                Patience,
                "the restarted host to send the mail left Sending");
            await LocalHostProcess.WaitHealthyAsync(procurement);
            await Eventually.UntilAsync(async () => await StageAsync(procurement, id) == "selectionRequested", Patience, "the workflow to go on to selectionRequested");

            Assert.Equal([key], provider.Delivered.Select(mail => mail.Key));
            // Not before the lease of the killed attempt ran out: a send that might still be running is never doubled.
            Assert.True(provider.Delivered[0].At >= claimedAt + Lease, $"Sent at {provider.Delivered[0].At:O}, within the lease of the attempt that claimed it at {claimedAt:O}.");
            Assert.Equal(2, sent.GetInt32("Attempts"));
            Assert.StartsWith("captured-", sent.GetString("MessageId"), StringComparison.Ordinal);
            using HttpClient supervisor = LocalHostProcess.Client(port, "test-supervisor", "supervisor");
            JsonArray trail = await AuditAsync(supervisor, id);
            Assert.Single(trail, entry => (string?)entry!["action"] == "mail.sent");
        }
        finally
        {
            foreach (Process host in new[] { first, second }.OfType<Process>())
            {
                if (!host.HasExited)
                {
                    host.Kill(entireProcessTree: true);
                    await host.WaitForExitAsync();
                }

                host.Dispose();
            }
        }
    }

    private Process StartHost(string hub, int port, HoldingSendGrid provider) => LocalHostProcess.Start(
        output,
        azurite,
        hub,
        port,
        $"--Supervision:Mail:SendGridApiKey={MailTestServices.ApiKey}",
        $"--Supervision:Mail:SendGridHost={provider.Address}",
        "--Supervision:Mail:Retry:MaxRetryAttempts=1",
        "--Supervision:Mail:Retry:AttemptTimeout=00:05:00",
        "--Supervision:Mail:Retry:TotalTimeout=00:05:00",
        $"--Supervision:Mail:SendingLease={Lease}",
        "--Supervision:Requests:AnswerWithin=00:30:00",
        // The host shares Azurite with every other test: its start-up sweep would resume all their engagements.
        "--Supervision:Sweep:Enabled=false",
        "--Logging:LogLevel:Supervision.Mail=Information");

    private static async Task<string> OnboardAsync(HttpClient procurement)
    {
        const string body = """
            {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"en"},
             "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
             "plannedStart":"2027-01-01","plannedEnd":"2027-03-31"}
            """;
        using HttpResponseMessage started = await procurement.PostAsync("/api/engagements", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static async Task<string?> StageAsync(HttpClient procurement, string id)
    {
        using HttpResponseMessage response = await procurement.GetAsync($"/api/engagements/{id}");
        return response.IsSuccessStatusCode ? (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["stage"] : null;
    }

    private static async Task<JsonArray> AuditAsync(HttpClient supervisor, string id)
    {
        JsonObject page = (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit"))!;
        return page["entries"]!.AsArray();
    }

    /// <summary>
    /// A stand-in for SendGrid's v3 API that first takes no mail: it holds each request open without an answer (as a
    /// provider that has not accepted it yet) until <see cref="Release"/>; after that it accepts every mail with 202.
    /// </summary>
    private sealed class HoldingSendGrid : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<string> held = new();
        private readonly ConcurrentQueue<(string Key, DateTimeOffset At)> delivered = new();
        private int accepted;

        private HoldingSendGrid(WebApplication app) => this.app = app;

        public Uri Address { get; private set; } = null!;

        /// <summary>The idempotency keys of the mails that reached the provider while it took none.</summary>
        public IReadOnlyCollection<string> Held => [.. held];

        /// <summary>The idempotency keys of the mails the provider accepted (202) and when, in order.</summary>
        public IReadOnlyList<(string Key, DateTimeOffset At)> Delivered => [.. delivered];

        public static async Task<HoldingSendGrid> StartAsync()
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            var provider = new HoldingSendGrid(app);
            app.MapPost("/v3/mail/send", provider.HandleAsync);
            await app.StartAsync();
            provider.Address = new Uri(app.Urls.Single());
            return provider;
        }

        public void Release() => released.TrySetResult();

        private async Task HandleAsync(HttpContext context)
        {
            JsonNode mail = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
            string key = (string)mail["custom_args"]![SendGridTransport.IdempotencyKeyArgument]!;
            if (!released.Task.IsCompleted)
            {
                held.Enqueue(key);
                try
                {
                    // Never answered: the sender dies first, and the provider keeps nothing of an unanswered request.
                    await released.Task.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            delivered.Enqueue((key, DateTimeOffset.UtcNow));
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.Headers["X-Message-Id"] = $"captured-{Interlocked.Increment(ref accepted)}";
        }

        public async ValueTask DisposeAsync()
        {
            Release();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
