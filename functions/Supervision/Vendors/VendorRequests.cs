using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Vendors;

/// <summary>Requests to contractors and the signed links that serve them.</summary>
/// <remarks>
/// Kept as one class past 300 lines on purpose: it is the only writer of the request and link rows (<c>request|</c>,
/// <c>link|</c>) of an engagement's partition, and a request and its links are written together — opened with its first
/// link and its trail entry in one transaction, closed with its revocations, its trail entry and the event it owes
/// (docs/decisions/0002) in another, each conditional on the request row's ETag. Split across classes,
/// that ordering (the request row as the commit point that answers, closes and links all meet on) would have no owner.
/// </remarks>
public sealed class VendorRequests(TableServiceClient tables, LinkSigner signer, AuditLog audit, EventOutbox outbox, IOptions<VendorLinkOptions> options, TimeProvider time)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    /// <summary>Records the request and its first link in one transaction; returns the link to mail.</summary>
    public async Task<IssuedLink> OpenAsync(NewVendorRequest request, CancellationToken cancellationToken) =>
        (await OpenOnceAsync(request with { RequestId = request.RequestId ?? Guid.NewGuid().ToString("N") }, cancellationToken)).FirstLink
        ?? throw new InvalidOperationException($"Request {request.RequestId} already exists.");

    /// <summary>
    /// Opens the request with the id the caller chose (a workflow derives it deterministically), or finds it open
    /// already: a retried activity opens nothing twice. Returns the request as recorded, and its first link when this
    /// call opened it (null when it existed, so the caller issues a fresh link only if it still has to mail one).
    /// <paramref name="with"/> adds what the step writes besides (the claim of the mail that asks, say), given the request
    /// and its first link: committed in the same transaction, so it was written exactly when the first link is answered.
    /// </summary>
    public async Task<OpenedVendorRequest> OpenOnceAsync(
        NewVendorRequest request, CancellationToken cancellationToken, Func<VendorRequestRecord, IssuedLink, Writes>? with = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        string requestId = request.RequestId ?? throw new ArgumentException("The request id is chosen by the caller.", nameof(request));
        DateTimeOffset now = time.GetUtcNow();
        var record = new VendorRequestRecord
        {
            PartitionKey = request.EngagementId,
            RowKey = VendorRequestRecord.Key(requestId),
            Kind = request.Kind,
            TitleJa = request.TitleJa,
            TitleEn = request.TitleEn,
            Questions = JsonSerializer.Serialize(request.Questions, ApiJson.Options),
            EvidenceAsked = string.Join('\n', request.EvidenceAsked),
            Language = request.Language.Code(),
            Status = RequestStatus.Open.ToString(),
            DueAt = request.DueAt,
            WaitingInstanceId = request.WaitingInstanceId,
            CompletionEvent = request.CompletionEvent,
            RecipientEmail = request.Recipient?.Address,
            RecipientName = request.Recipient?.Name,
            Subject = request.Subject,
            RecipientOrganisation = request.RecipientOrganisation,
            AskedAfterTheWorkEnds = request.AskedAfterTheWorkEnds,
            CreatedAt = now,
        };
        (VendorLinkRecord link, IssuedLink issued) = NewLink(request.EngagementId, requestId, LinkPurpose.Respond, now);
        var opened = new TrailEntry(
            AuditActors.System,
            AuditActions.RequestOpened,
            new Dictionary<string, string>
            {
                ["requestId"] = requestId,
                ["kind"] = request.Kind,
                ["linkId"] = issued.LinkId,
                ["expiresAt"] = issued.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
            $"request.{requestId}.opened");
        Writes also = with?.Invoke(record, issued) ?? Writes.None;
        TrailCommit outcome = await audit.CommitAsync(
            request.EngagementId,
            [new TableTransactionAction(TableTransactionActionType.Add, record), new TableTransactionAction(TableTransactionActionType.Add, link), .. also.Rows],
            [opened, .. also.Entries],
            cancellationToken);
        if (outcome == TrailCommit.Committed)
            return new OpenedVendorRequest(record, issued);

        // An earlier attempt opened it, with its link, its trail entry and what it wrote besides; or what this attempt
        // wrote besides was refused (the caller finds the request not open, and decides again).
        VendorRequestRecord existing = await GetAsync(request.EngagementId, requestId, cancellationToken)
            ?? throw new InvalidOperationException($"Request {requestId} was not opened: what the step writes with it was refused.");
        return new OpenedVendorRequest(existing, null);
    }

    /// <summary>
    /// Issues another link for an open request, e.g. with a reminder after the first expired; with
    /// <paramref name="recordedAs"/>, the link is written with the trail entry that records it, in one transaction.
    /// </summary>
    public async Task<IssuedLink> IssueLinkAsync(
        string engagementId, string requestId, LinkPurpose purpose, CancellationToken cancellationToken, Func<IssuedLink, TrailEntry>? recordedAs = null)
    {
        (VendorLinkRecord link, IssuedLink issued) = NewLink(engagementId, requestId, purpose, time.GetUtcNow());
        if (recordedAs is null)
            await table.AddEntityAsync(link, cancellationToken);
        else
            await audit.CommitAsync(engagementId, [new TableTransactionAction(TableTransactionActionType.Add, link)], [recordedAs(issued)], cancellationToken);
        return issued;
    }

    /// <summary>Checks a presented token for <paramref name="purpose"/>: signature, expiry, purpose, revocation, open request.</summary>
    public async Task<LinkCheck> CheckAsync(string? token, LinkPurpose purpose, CancellationToken cancellationToken)
    {
        LinkVerdict verdict = signer.TryRead(token, out LinkClaims? claims);
        if (verdict != LinkVerdict.Valid)
            return new(verdict, null, null);
        if (claims!.ExpiresAt <= time.GetUtcNow())
            return new(LinkVerdict.Expired, claims, null);
        if (claims.Purpose != purpose)
            return new(LinkVerdict.WrongPurpose, claims, null);

        VendorLinkRecord? link = await table.GetOrNullAsync<VendorLinkRecord>(claims.EngagementId, VendorLinkRecord.Key(claims.LinkId), cancellationToken);
        if (link is null || link.RequestId != claims.RequestId)
            return new(LinkVerdict.Tampered, claims, null);
        VendorRequestRecord? request = await GetAsync(claims.EngagementId, claims.RequestId, cancellationToken);
        return !link.Revoked && request is { Status: nameof(RequestStatus.Open) }
            ? new(LinkVerdict.Valid, claims, request)
            : new(LinkVerdict.Revoked, claims, request);
    }

    /// <summary>The engagement's requests still waiting for an answer.</summary>
    public async Task<IReadOnlyList<VendorRequestRecord>> ListOpenAsync(string engagementId, CancellationToken cancellationToken) =>
        [.. (await table.ListByPrefixAsync<VendorRequestRecord>(engagementId, VendorRequestRecord.KeyPrefix, cancellationToken))
            .Where(request => request.Status == nameof(RequestStatus.Open))];

    /// <summary>Withdraws every open request the end of the work leaves nothing to ask for (2-4: only the return and incidents go on).</summary>
    public async Task<int> WithdrawForTheEndAsync(string engagementId, string actor, CancellationToken cancellationToken)
    {
        int closed = 0;
        foreach (VendorRequestRecord request in await ListOpenAsync(engagementId, cancellationToken))
        {
            if (!request.AskedAfterTheWorkEnds && await CloseAsync(engagementId, request.RequestId, RequestStatus.Withdrawn, actor, cancellationToken))
                closed++;
        }

        return closed;
    }

    /// <summary>Withdraws every open request about <paramref name="subject"/> (every one, when null), revoking their links; answers how many it closed.</summary>
    public async Task<int> WithdrawAllAsync(string engagementId, string? subject, string actor, CancellationToken cancellationToken)
    {
        int closed = 0;
        foreach (VendorRequestRecord request in await ListOpenAsync(engagementId, cancellationToken))
        {
            if ((subject is null || request.Subject == subject) && await CloseAsync(engagementId, request.RequestId, RequestStatus.Withdrawn, actor, cancellationToken))
                closed++;
        }

        return closed;
    }

    public Task<VendorRequestRecord?> GetAsync(string engagementId, string requestId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<VendorRequestRecord>(engagementId, VendorRequestRecord.Key(requestId), cancellationToken);

    /// <summary>
    /// Closes an open request as fulfilled or withdrawn and revokes every link it has. The request's status is the commit
    /// point (a link of a request no longer open is refused whatever its row says), written conditionally with the first
    /// links in one transaction; links beyond what one transaction holds are revoked in further ones, each revocation a
    /// merge that may be repeated. Closing a closed request changes nothing and answers false.
    /// </summary>
    public Task<bool> CloseAsync(string engagementId, string requestId, RequestStatus outcome, string actor, CancellationToken cancellationToken) =>
        CloseAsync(engagementId, requestId, outcome, actor, owes: null, cancellationToken);

    /// <summary>
    /// Closes the request as fulfilled through <paramref name="linkId"/>. When a workflow waits for it, the event it is
    /// owed (<see cref="VendorRequestFulfilled"/>) and the trail entry are committed with the close, under
    /// <see cref="FulfilledEventKey"/>, for <see cref="EventOutbox.DeliverAsync"/> to deliver. Answers false when the
    /// request was no longer open.
    /// </summary>
    public Task<bool> FulfilAsync(string engagementId, string requestId, string linkId, CancellationToken cancellationToken) =>
        FulfilAsync(engagementId, requestId, linkId, AuditActors.VendorLink(linkId), cancellationToken);

    /// <summary>
    /// Closes the request as fulfilled by <paramref name="actor"/> in the recipient's place (the principal's staff who saw
    /// the thing asked for done, 2-4), owing its workflow the same event as a submission through <paramref name="linkId"/>.
    /// </summary>
    public Task<bool> FulfilAsync(string engagementId, string requestId, string linkId, string actor, CancellationToken cancellationToken) =>
        CloseAsync(
            engagementId,
            requestId,
            RequestStatus.Fulfilled,
            actor,
            request => request is { WaitingInstanceId: { } instanceId, CompletionEvent: { } completionEvent }
                ? new OwedEvent(instanceId, completionEvent, new VendorRequestFulfilled(requestId, linkId))
                : null,
            cancellationToken);

    /// <summary>The outbox key of the event a fulfilled request owes its workflow.</summary>
    public static string FulfilledEventKey(string requestId) => $"request.{requestId}.fulfilled";

    private async Task<bool> CloseAsync(
        string engagementId, string requestId, RequestStatus outcome, string actor, Func<VendorRequestRecord, OwedEvent?>? owes, CancellationToken cancellationToken)
    {
        if (outcome == RequestStatus.Open)
            throw new ArgumentOutOfRangeException(nameof(outcome), "A request is closed as fulfilled or withdrawn.");
        // The request row is where closing and answering meet: an answer recorded meanwhile (or another close) moves its
        // ETag, and the close is decided again on what the row is now.
        for (int attempt = 1; ; attempt++)
        {
            VendorRequestRecord request = await GetAsync(engagementId, requestId, cancellationToken)
                ?? throw new InvalidOperationException($"Request {requestId} does not exist.");
            if (request.Status != nameof(RequestStatus.Open))
                return false;
            if (await TryCloseAsync(request, outcome, actor, owes, cancellationToken))
                return true;
            if (attempt == MaxWriteAttempts)
                throw new InvalidOperationException($"Request {requestId} kept changing while it was closed.");
        }
    }

    private const int MaxWriteAttempts = 20;

    private async Task<bool> TryCloseAsync(
        VendorRequestRecord request, RequestStatus outcome, string actor, Func<VendorRequestRecord, OwedEvent?>? owes, CancellationToken cancellationToken)
    {
        (string engagementId, string requestId) = (request.PartitionKey, request.RequestId);
        request.Status = outcome.ToString();
        request.ClosedAt = time.GetUtcNow();
        List<TableTransactionAction> revocations = [];
        await foreach (VendorLinkRecord link in UnrevokedLinksAsync(engagementId, requestId, cancellationToken))
        {
            var revoked = new TableEntity(engagementId, link.RowKey) { [nameof(VendorLinkRecord.Revoked)] = true };
            revocations.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, revoked, ETag.All));
        }

        var trail = new TrailEntry(
            actor,
            AuditActions.RequestClosed,
            new Dictionary<string, string> { ["requestId"] = requestId, ["outcome"] = outcome.ToString(), ["linksRevoked"] = revocations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            $"request.{requestId}.closed");
        List<TableTransactionAction> commit = [new TableTransactionAction(TableTransactionActionType.UpdateReplace, request, request.ETag)];
        if (owes?.Invoke(request) is { } owed)
            commit.Add(await outbox.PrepareAsync(engagementId, FulfilledEventKey(requestId), owed, cancellationToken));
        int withCommit = TableTransactions.MaxOperations - commit.Count - AuditLog.OperationsFor([trail]);
        if (await audit.CommitAsync(engagementId, [.. commit, .. revocations.Take(withCommit)], [trail], cancellationToken) != TrailCommit.Committed)
            return false;

        foreach (TableTransactionAction[] rest in revocations.Skip(withCommit).Chunk(TableTransactions.MaxOperations))
            await table.SubmitTransactionAsync(rest, cancellationToken);
        return true;
    }

    /// <summary>
    /// Makes <paramref name="evidenceId"/> the request's answers in force, if the request is still open, with the trail
    /// <paramref name="entry"/> that records it, in one transaction: a submit that commits first wins, and these answers
    /// are then too late (false). The request row orders answers and the close.
    /// </summary>
    public async Task<bool> RecordAnswersAsync(string engagementId, string requestId, string evidenceId, TrailEntry entry, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (await GetAsync(engagementId, requestId, cancellationToken) is not { Status: nameof(RequestStatus.Open) } request)
                return false;
            request.AnswersEvidenceId = evidenceId;
            // Refused: another answer or the close came first; decide again on what the row is now.
            if (await audit.CommitAsync(engagementId, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, request, request.ETag)], [entry], cancellationToken) != TrailCommit.Refused)
                return true;
            if (attempt == MaxWriteAttempts)
                throw new InvalidOperationException($"Request {requestId} kept changing while its answers were recorded.");
        }
    }

    /// <summary>
    /// The requests still open under the engagement that are asked of the same person as <paramref name="asked"/>: those
    /// mailed to the same address, a request naming no recipient being mailed to the engagement's contact
    /// (<paramref name="contactEmail"/>). Soonest due first, those without a due date last.
    /// </summary>
    public async Task<IReadOnlyList<VendorRequestRecord>> ListOpenForRecipientAsync(VendorRequestRecord asked, string contactEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(asked);
        string recipient = RecipientAddress(asked, contactEmail);
        return [.. (await ListOpenAsync(asked.PartitionKey, cancellationToken))
            .Where(request => string.Equals(RecipientAddress(request, contactEmail), recipient, StringComparison.OrdinalIgnoreCase))
            .OrderBy(request => request.DueAt ?? DateTimeOffset.MaxValue)
            .ThenBy(request => request.CreatedAt)];
    }

    private static string RecipientAddress(VendorRequestRecord request, string contactEmail) => (request.RecipientEmail ?? contactEmail).Trim();

    /// <summary>
    /// A link of an open request to show the person it is mailed to: the request's longest-lived link when it has at
    /// least half its lifetime left, signed again (the same link the mail carried, no new credential), otherwise a fresh
    /// one, so a link shown is not about to expire. A fresh one goes on the trail as issued by <paramref name="actor"/>.
    /// </summary>
    public async Task<IssuedLink> LinkToShowAsync(string engagementId, string requestId, string actor, CancellationToken cancellationToken)
    {
        DateTimeOffset usableUntil = time.GetUtcNow() + (options.Value.Lifetime / 2);
        VendorLinkRecord? longestLived = null;
        await foreach (VendorLinkRecord link in UnrevokedLinksAsync(engagementId, requestId, cancellationToken))
        {
            if (link.Purpose == nameof(LinkPurpose.Respond) && link.ExpiresAt > usableUntil && (longestLived is null || link.ExpiresAt > longestLived.ExpiresAt))
                longestLived = link;
        }

        if (longestLived is not null)
            return Signed(longestLived);

        return await IssueLinkAsync(engagementId, requestId, LinkPurpose.Respond, cancellationToken, issued => new TrailEntry(
            actor,
            AuditActions.RequestLinkIssued,
            new Dictionary<string, string>
            {
                ["requestId"] = requestId,
                ["linkId"] = issued.LinkId,
                ["expiresAt"] = issued.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
            $"request.{requestId}.link.{issued.LinkId}"));
    }

    private AsyncPageable<VendorLinkRecord> UnrevokedLinksAsync(string engagementId, string requestId, CancellationToken cancellationToken) =>
        table.QueryAsync<VendorLinkRecord>(
            row => row.PartitionKey == engagementId && row.RowKey.CompareTo(VendorLinkRecord.KeyPrefix) >= 0 && row.RowKey.CompareTo(KeyPrefixEnd) < 0 && row.RequestId == requestId && !row.Revoked,
            cancellationToken: cancellationToken);

    private static readonly string KeyPrefixEnd = VendorLinkRecord.KeyPrefix[..^1] + (char)(VendorLinkRecord.KeyPrefix[^1] + 1);

    private (VendorLinkRecord Record, IssuedLink Issued) NewLink(string engagementId, string requestId, LinkPurpose purpose, DateTimeOffset now)
    {
        var record = new VendorLinkRecord
        {
            PartitionKey = engagementId,
            RowKey = VendorLinkRecord.Key(Guid.NewGuid().ToString("N")),
            RequestId = requestId,
            Purpose = purpose.ToString(),
            IssuedAt = now,
            ExpiresAt = now + options.Value.Lifetime,
        };
        return (record, Signed(record));
    }

    /// <summary>The link a record stands for: signing its claims again gives the token it was issued with.</summary>
    private IssuedLink Signed(VendorLinkRecord link)
    {
        string token = signer.Sign(new LinkClaims(link.LinkId, link.PartitionKey, link.RequestId, Enum.Parse<LinkPurpose>(link.Purpose), link.ExpiresAt));
        return new IssuedLink(link.RequestId, link.LinkId, new Uri(options.Value.PublicBaseUrl, $"vendor/{token}"), link.ExpiresAt);
    }
}
