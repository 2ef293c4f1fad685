using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Supervision.Mail;

/// <summary>
/// The real SendGrid client over an <see cref="HttpClient"/> from the factory, whose resilience handler retries 429 and
/// 5xx with back-off (see <see cref="MailRetryOptions"/>). What is left after the retries becomes a
/// <see cref="MailTransientException"/>; any other 4xx a <see cref="MailRejectedException"/> at once.
/// </summary>
public sealed class SendGridTransport(IHttpClientFactory httpClients, IOptions<MailOptions> options, TimeProvider time) : IMailTransport
{
    public const string Name = "SendGrid";

    /// <summary>The custom argument carrying the idempotency key, so SendGrid's events can be matched to the MailLog row.</summary>
    public const string IdempotencyKeyArgument = "idempotencyKey";

    private const int MaxReasonLength = 2_000;

    public async Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        MailOptions settings = options.Value;
        var clientOptions = new SendGridClientOptions { ApiKey = settings.SendGridApiKey };
        if (settings.SendGridHost is { } host)
            clientOptions.Host = host.ToString();
        var client = new SendGridClient(httpClients.CreateClient(Name), clientOptions);

        Response response;
        try
        {
            response = await client.SendEmailAsync(ToMessage(mail), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            throw new MailTransientException(null, $"SendGrid could not be reached: {e.Message}", null, e);
        }

        int status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
            return new MailReceipt(Name, response.Headers.TryGetValues("X-Message-Id", out IEnumerable<string>? ids) ? ids.FirstOrDefault() : null);

        string body = response.Body is null ? string.Empty : await response.Body.ReadAsStringAsync(cancellationToken);
        string reason = Reason(body);
        if (IsTransient(response.StatusCode))
        {
            throw new MailTransientException(
                status, $"SendGrid answered {status} and the retries are used up: {reason}", RetryAfter(response.Headers, time.GetUtcNow()));
        }

        throw new MailRejectedException(status, reason);
    }

    /// <summary>The request SendGrid's v3 mail/send gets: one personalization, text then HTML, the key as a custom argument.</summary>
    public static SendGridMessage ToMessage(OutgoingMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var message = new SendGridMessage
        {
            From = new EmailAddress(mail.From.Address, mail.From.Name),
            Subject = mail.Subject,
            PlainTextContent = mail.Text,
            HtmlContent = mail.Html,
            CustomArgs = new Dictionary<string, string> { [IdempotencyKeyArgument] = mail.IdempotencyKey },
        };
        message.AddTo(new EmailAddress(mail.To.Address, mail.To.Name));
        return message;
    }

    /// <summary>
    /// The named client the transport uses, with its resilience pipeline: a total time-out, then retries of 429, 5xx,
    /// network errors and attempt time-outs (exponential back-off with jitter, Retry-After honoured up to
    /// <see cref="MailRetryOptions.MaxDelay"/>; a longer one is not waited for), then a time-out per attempt.
    /// </summary>
    public static IHttpClientBuilder AddSendGridHttpClient(IServiceCollection services)
    {
        IHttpClientBuilder builder = services.AddHttpClient(Name, client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler(Name, static (pipeline, context) =>
        {
            MailRetryOptions retry = context.ServiceProvider.GetRequiredService<IOptions<MailOptions>>().Value.Retry;
            TimeProvider time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline
                .AddTimeout(retry.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = retry.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = retry.BaseDelay,
                    MaxDelay = retry.MaxDelay,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, retry.MaxDelay, time.GetUtcNow())),
                })
                .AddTimeout(retry.AttemptTimeout);
        });
        return builder;
    }

    /// <summary>429 and 5xx are worth another try; every other 4xx will be refused again.</summary>
    public static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxDelay, DateTimeOffset now) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode) && !(RetryAfter(response.Headers, now) > maxDelay),
        _ => false,
    };

    internal static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>SendGrid's error messages ("field: message; …") from its error body, or the body itself.</summary>
    internal static string Reason(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out JsonElement errors)
                && errors.ValueKind == JsonValueKind.Array)
            {
                string joined = string.Join("; ", errors.EnumerateArray()
                    .Where(error => error.ValueKind == JsonValueKind.Object)
                    .Select(error => (Field: Text(error, "field"), Message: Text(error, "message")))
                    .Where(error => error.Message is not null)
                    .Select(error => error.Field is null ? error.Message : $"{error.Field}: {error.Message}"));
                if (joined.Length > 0)
                    return Truncate(joined);
            }
        }
        catch (JsonException)
        {
            // Not SendGrid's JSON error document: keep the body as it is.
        }

        return Truncate(body.Trim());
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Truncate(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "…";
}
