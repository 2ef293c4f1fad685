using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Mail;
using Supervision.Kernel;

namespace Supervision.Mail;

/// <summary>A mail rendered, and the row that claims its key, not yet written (<see cref="Mailer.Prepare"/>).</summary>
public sealed record PreparedMail(MailRequest Request, RenderedMail Rendered, MailLogRecord Claim)
{
    /// <summary>The claim, as an operation of the step's transaction.</summary>
    public TableTransactionAction ClaimAction => new(TableTransactionActionType.Add, Claim);
}

/// <summary>
/// What workflows call to send mail. Each mail's idempotency key is recorded in its engagement's partition by a
/// conditional insert before the mail is sent, so a retried activity never sends it twice:
/// <list type="bullet">
/// <item>a key already <see cref="MailStatus.Sent"/> or <see cref="MailStatus.Rejected"/> is not sent again: the
/// recorded outcome is returned;</item>
/// <item>a key another attempt is <see cref="MailStatus.Sending"/> within <see cref="MailOptions.SendingLease"/> fails
/// this attempt with <see cref="MailInFlightException"/>, for the workflow's retry policy to try again later;</item>
/// <item>a key left <see cref="MailStatus.Failed"/> by a transient failure, or left <see cref="MailStatus.Sending"/> past
/// the lease by an attempt that stopped, is taken over (ETag-conditional) and sent;</item>
/// <item>a rejection (SendGrid 4xx) is recorded and returned, never thrown, so no durable retry repeats it;</item>
/// <item>a transient failure (429/5xx after the in-call retries) is recorded as Failed and rethrown, so the activity's
/// retry policy runs again.</item>
/// </list>
/// So a mail is never lost to a crash; it is sent twice only when an attempt stopped after the provider took the mail
/// and before its row said so. A sent or rejected mail's row is settled with its trail entry in one transaction.
/// </summary>
public sealed class Mailer(
    MailTemplates templates,
    IMailTransport transport,
    MailLogStore log,
    AuditLog audit,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<Mailer> logger)
{
    public async Task<MailOutcome> SendAsync(MailRequest request, CancellationToken cancellationToken)
    {
        PreparedMail prepared = Prepare(request);
        (MailLogRecord row, bool claimed) = await ClaimAsync(prepared, cancellationToken);
        if (!claimed)
        {
            logger.LogInformation("Mail {IdempotencyKey} ({Template}) is already {Status}: not sent again",
                request.IdempotencyKey, request.Template, row.Status);
            return new MailOutcome(request.IdempotencyKey, row.CurrentStatus, Repeated: true, row.Reason);
        }

        return await SendClaimedAsync(request, prepared.Rendered, row, cancellationToken);
    }

    /// <summary>
    /// Renders the mail and builds the row that claims its key (<see cref="MailStatus.Sending"/>), writing nothing: for a
    /// step that commits the claim with its own change (a request opened with the mail that asks it), then calls
    /// <see cref="SendClaimedAsync(PreparedMail, CancellationToken)"/>. Rendering has no effect outside: a template error
    /// fails the step before anything is recorded.
    /// </summary>
    public PreparedMail Prepare(MailRequest request)
    {
        Validate(request);
        RenderedMail rendered = templates.Render(request.Template, request.Language, request.Model);
        DateTimeOffset now = time.GetUtcNow();
        var claim = new MailLogRecord
        {
            PartitionKey = request.EngagementId,
            RowKey = MailLogRecord.Key(request.IdempotencyKey),
            Status = nameof(MailStatus.Sending),
            Template = request.Template,
            Language = request.Language.Code(),
            Recipient = request.To.Address,
            Subject = rendered.Subject,
            Attempts = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return new PreparedMail(request, rendered, claim);
    }

    /// <summary>Sends a prepared mail whose claim the caller has committed (the claim row carrying its ETag since).</summary>
    public Task<MailOutcome> SendClaimedAsync(PreparedMail prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return SendClaimedAsync(prepared.Request, prepared.Rendered, prepared.Claim, cancellationToken);
    }

    private async Task<MailOutcome> SendClaimedAsync(MailRequest request, RenderedMail rendered, MailLogRecord row, CancellationToken cancellationToken)
    {
        MailOptions settings = options.Value;
        var mail = new OutgoingMail(
            request.To,
            new MailAddressee(settings.From, string.IsNullOrWhiteSpace(settings.FromName) ? null : settings.FromName),
            rendered.Subject,
            rendered.Text,
            rendered.Html,
            request.IdempotencyKey,
            request.Language);

        MailReceipt receipt;
        try
        {
            receipt = await transport.SendAsync(mail, cancellationToken);
        }
        catch (MailRejectedException e)
        {
            row.Status = nameof(MailStatus.Rejected);
            row.ProviderStatus = e.StatusCode;
            row.Reason = Truncate(e.Reason);
            await SaveAsync(row, Entry(request, AuditActions.MailRejected, row.Reason));
            logger.LogWarning("Mail {IdempotencyKey} ({Template}) was rejected with {StatusCode}: recorded, not retried",
                request.IdempotencyKey, request.Template, e.StatusCode);
            return new MailOutcome(request.IdempotencyKey, MailStatus.Rejected, Repeated: false, row.Reason);
        }
        catch (Exception e)
        {
            row.Status = nameof(MailStatus.Failed);
            row.ProviderStatus = (e as MailTransientException)?.StatusCode;
            row.Reason = Truncate(e.Message);
            await SaveAsync(row, entry: null);
            logger.LogWarning(e, "Mail {IdempotencyKey} ({Template}) failed on attempt {Attempt}; a retry takes it over",
                request.IdempotencyKey, request.Template, row.Attempts);
            throw;
        }

        row.Status = nameof(MailStatus.Sent);
        row.Transport = receipt.Transport;
        row.MessageId = receipt.MessageId;
        row.ProviderStatus = null;
        row.Reason = null;
        row.SentAt = time.GetUtcNow();
        await SaveAsync(row, Entry(request, AuditActions.MailSent, reason: null));
        logger.LogInformation("Mail {IdempotencyKey} ({Template}, {Language}) sent through {Transport} on attempt {Attempt}",
            request.IdempotencyKey, request.Template, request.Language.Code(), receipt.Transport, row.Attempts);
        return new MailOutcome(request.IdempotencyKey, MailStatus.Sent, Repeated: false);
    }

    /// <summary>Every mail of an engagement goes into its audit trail, once per idempotency key; never the model (it holds the link).</summary>
    private static TrailEntry Entry(MailRequest request, string action, string? reason)
    {
        var details = new Dictionary<string, string> { ["template"] = request.Template, ["language"] = request.Language.Code(), ["idempotencyKey"] = request.IdempotencyKey };
        if (reason is not null)
            details["reason"] = reason;
        // Hashed: a mail key may hold characters an audit entry key may not.
        string entryKey = "mail." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.IdempotencyKey)));
        return new TrailEntry(AuditActors.System, action, details, entryKey);
    }

    /// <summary>
    /// Sends a reminder of <paramref name="state"/>'s request unless <see cref="Reminders"/> says no (fulfilled,
    /// withdrawn, not yet due): then nothing is sent or recorded. The caller reads the state right before calling.
    /// The model gets <c>dueDate</c> and <c>daysOverdue</c> from the state.
    /// </summary>
    public Task<MailOutcome> SendReminderAsync(MailRequest request, RequestState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        DateTimeOffset now = time.GetUtcNow();
        ReminderDecision decision = Reminders.Decide(state, now);
        if (decision != ReminderDecision.Remind)
        {
            logger.LogInformation("Reminder {IdempotencyKey} not sent: {Decision}", request.IdempotencyKey, decision);
            return Task.FromResult(new MailOutcome(request.IdempotencyKey, MailStatus.Skipped, Repeated: false, decision.ToString()));
        }

        var model = new Dictionary<string, string>(request.Model, StringComparer.Ordinal)
        {
            ["dueDate"] = state.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["daysOverdue"] = Reminders.DaysOverdue(state.DueDate, now).ToString(CultureInfo.InvariantCulture),
        };
        return SendAsync(request with { Model = model }, cancellationToken);
    }

    /// <summary>Records the key as Sending: a new row, or a Failed or abandoned row taken over. False when the key is settled.</summary>
    private async Task<(MailLogRecord Row, bool Claimed)> ClaimAsync(PreparedMail prepared, CancellationToken cancellationToken)
    {
        (MailRequest request, RenderedMail rendered, MailLogRecord fresh) = prepared;
        DateTimeOffset now = fresh.UpdatedAt;
        while (true)
        {
            (MailLogRecord row, bool created) = await log.AddOrGetAsync(fresh, cancellationToken);
            if (created)
                return (row, true);
            if (row.Template != request.Template || !string.Equals(row.Recipient, request.To.Address, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Mail idempotency key {request.IdempotencyKey} is already recorded for another mail ({row.Template}).");
            }

            if (row.CurrentStatus == MailStatus.Sending && now - row.UpdatedAt < options.Value.SendingLease)
                throw new MailInFlightException($"Mail {request.IdempotencyKey} is being sent by another attempt since {row.UpdatedAt:O}.");
            if (row.CurrentStatus is not (MailStatus.Failed or MailStatus.Sending))
                return (row, false);

            row.Status = nameof(MailStatus.Sending);
            row.Attempts++;
            row.Subject = rendered.Subject;
            row.UpdatedAt = now;
            if (await log.TryUpdateAsync(row, cancellationToken))
                return (row, true);
            // Another attempt took the row over or settled it first: read it again and re-decide.
        }
    }

    /// <summary>
    /// Writes the outcome, with its trail <paramref name="entry"/> if it has one, even when the caller has given up: the
    /// row must not claim a send is still running.
    /// </summary>
    private async Task SaveAsync(MailLogRecord row, TrailEntry? entry)
    {
        row.UpdatedAt = time.GetUtcNow();
        bool saved = entry is null
            ? await log.TryUpdateAsync(row, CancellationToken.None)
            : await audit.CommitAsync(row.PartitionKey, [new(TableTransactionActionType.UpdateReplace, row, row.ETag)], [entry], CancellationToken.None) != TrailCommit.Refused;
        if (!saved)
            throw new InvalidOperationException($"Mail log row {row.IdempotencyKey} was changed by someone else while its mail was being sent.");
    }

    private static void Validate(MailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.To);
        ArgumentNullException.ThrowIfNull(request.Model);
        if (!MailRequest.IsValidKey(request.IdempotencyKey))
            throw new ArgumentException($"'{request.IdempotencyKey}' is not a valid mail idempotency key.", nameof(request));
        if (!EngagementIds.IsWellFormed(request.EngagementId))
            throw new ArgumentException($"'{request.EngagementId}' is not a valid engagement id.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.To.Address))
            throw new ArgumentException("The mail has no recipient address.", nameof(request));
    }

    private static string Truncate(string text) =>
        text.Length <= MailLogRecord.MaxReasonLength ? text : text[..MailLogRecord.MaxReasonLength] + "…";
}
