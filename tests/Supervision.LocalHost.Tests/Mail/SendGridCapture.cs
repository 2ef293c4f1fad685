using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>One request as the capture endpoint received it.</summary>
public sealed record CapturedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredStatus);

/// <summary>What the capture endpoint answers to one request.</summary>
public sealed record CannedAnswer(int Status, string? Body = null, int? RetryAfterSeconds = null)
{
    public static CannedAnswer Accepted { get; } = new(StatusCodes.Status202Accepted);
}

/// <summary>
/// A stand-in for SendGrid's v3 API on real Kestrel at 127.0.0.1 (free port): records every request's headers and
/// body and answers from a queue of canned answers, then with <see cref="Otherwise"/>.
/// </summary>
public sealed class SendGridCapture : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<CapturedRequest> requests = new();
    private readonly ConcurrentQueue<CannedAnswer> answers = new();
    private int accepted;

    private SendGridCapture(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>The answer once the queue is empty: 202 Accepted with an X-Message-Id unless a test changes it.</summary>
    public CannedAnswer Otherwise { get; set; } = CannedAnswer.Accepted;

    public IReadOnlyList<CapturedRequest> Requests => [.. requests];

    /// <summary>Requests answered 2xx: the mails SendGrid would have delivered.</summary>
    public IReadOnlyList<CapturedRequest> Delivered => [.. requests.Where(request => request.AnsweredStatus is >= 200 and < 300)];

    public static async Task<SendGridCapture> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var capture = new SendGridCapture(app);
        app.MapPost("/v3/mail/send", capture.HandleAsync);
        await app.StartAsync();
        capture.Address = new Uri(app.Urls.Single());
        return capture;
    }

    public void AnswerNext(params CannedAnswer[] next)
    {
        ArgumentNullException.ThrowIfNull(next);
        foreach (CannedAnswer answer in next)
            answers.Enqueue(answer);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        CannedAnswer answer = answers.TryDequeue(out CannedAnswer? next) ? next : Otherwise;
        requests.Enqueue(new CapturedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            answer.Status));

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (answer.Status is >= 200 and < 300)
            context.Response.Headers["X-Message-Id"] = $"captured-{Interlocked.Increment(ref accepted)}";
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
