using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Http;
using Supervision.Storage;
using Supervision.Vendors;

namespace Supervision.Kernel;

public enum DutyStatus
{
    /// <summary>Asked through the contractor's link; not answered yet.</summary>
    Requested,
    Accepted,

    /// <summary>Answered, and refused with reasons; the contractor is asked again.</summary>
    Refused,
}

/// <summary>
/// One request of a recurring contractor duty and what came of it, in the engagement's partition:
/// <c>pledge|{requestId}</c>, <c>training|plan|{requestId}</c>, <c>training|result|{requestId}</c>.
/// </summary>
public sealed class ContractorDutyRecord : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RequestId { get; set; } = string.Empty;

    public int Round { get; set; }

    public string Status { get; set; } = nameof(DutyStatus.Requested);

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>What the request is for beyond its kind: the planned session (yyyy-MM-dd) a training result reports.</summary>
    public string? For { get; set; }

    /// <summary>What the contractor stated, as JSON of the domain record (attestation, plan, result).</summary>
    public string? Facts { get; set; }

    /// <summary>Why it was refused, as JSON field → messages.</summary>
    public string? Reasons { get; set; }

    /// <summary>Comma-separated evidence ids counted for this duty.</summary>
    public string? EvidenceIds { get; set; }

    /// <summary>Comma-separated evidence ids uploaded with a refused answer: stored, never counted.</summary>
    public string? RefusedEvidenceIds { get; set; }

    public string? AnsweredBy { get; set; }

    public DateTimeOffset? RecordedAt { get; set; }

    /// <summary>When the duty is next due (yyyy-MM-dd), once an answer is accepted.</summary>
    public string? NextDueOn { get; set; }
}

public sealed class ContractorDutyStore(TableServiceClient tables, AuditLog audit)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    /// <summary>Records the request as asked, once: a retried activity finds the row and leaves it.</summary>
    public async Task<ContractorDutyRecord> RequestedAsync(string engagementId, string rowKey, string requestId, int round, DateTimeOffset requestedAt, DateTimeOffset dueAt, string? @for = null)
    {
        (ContractorDutyRecord row, _) = await table.AddOrGetAsync(
            new ContractorDutyRecord
            {
                PartitionKey = engagementId,
                RowKey = rowKey,
                RequestId = requestId,
                Round = round,
                RequestedAt = requestedAt,
                DueAt = dueAt,
                For = @for,
            },
            CancellationToken.None);
        return row;
    }

    /// <summary>
    /// Records the outcome of an answer with its trail entry (<paramref name="trail"/>, given the row as recorded), in one
    /// transaction; the same outcome again changes nothing (<see cref="TrailedRows.UpdateAsync{T}"/>). Answers the row as
    /// recorded and whether the answer was accepted.
    /// </summary>
    public async Task<(ContractorDutyRecord Row, bool Accepted)> AnsweredAsync(string engagementId, string rowKey, Action<ContractorDutyRecord> outcome, DutyTrail trail)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(trail);
        ContractorDutyRecord row = await audit.UpdateAsync(
                token => table.GetOrNullAsync<ContractorDutyRecord>(engagementId, rowKey, token),
                row =>
                {
                    if (row.Status != nameof(DutyStatus.Requested))
                        return false;
                    outcome(row);
                    return true;
                },
                trail.For,
                CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {engagementId} has no {rowKey}.");
        return (row, DutyTrail.IsAccepted(row));
    }

    /// <summary>Every row whose key starts with <paramref name="prefix"/>, oldest request first.</summary>
    public async Task<IReadOnlyList<ContractorDutyRecord>> ListAsync(string engagementId, string prefix, CancellationToken cancellationToken)
    {
        List<ContractorDutyRecord> rows = await table.ListByPrefixAsync<ContractorDutyRecord>(engagementId, prefix, cancellationToken);
        return [.. rows.OrderBy(row => row.RequestedAt)];
    }

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    public static IReadOnlyDictionary<string, string[]>? ReasonsOf(ContractorDutyRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Reasons is null ? null : JsonSerializer.Deserialize<Dictionary<string, string[]>>(row.Reasons, ApiJson.Options);
    }

    public static JsonElement? FactsOf(ContractorDutyRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Facts is null ? null : JsonDocument.Parse(row.Facts).RootElement.Clone();
    }

    public static IReadOnlyList<string> Ids(string? ids) => string.IsNullOrEmpty(ids) ? [] : ids.Split(',');

    /// <summary>Reasons a number answer cannot be read, added under its question id.</summary>
    public static int? Number(IReadOnlyDictionary<string, string?> answers, string questionId, ValidationErrors errors, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(errors);
        string? answer = answers.GetValueOrDefault(questionId)?.Trim();
        if (string.IsNullOrEmpty(answer))
        {
            if (required)
                errors.Add(questionId, "is required: a whole number.");
            return null;
        }

        if (int.TryParse(answer, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value))
            return value;
        errors.Add(questionId, "must be a whole number.");
        return null;
    }
}

/// <summary>
/// How an answer to a duty goes on the trail: by the link it came through, as the accepted or the refused action, keyed
/// <c>{KeyPrefix}.{suffix}</c> by the outcome's suffix, with the details of the row as recorded (and whether it was accepted).
/// </summary>
public sealed record DutyTrail(
    string LinkId, string KeyPrefix, (string Action, string Suffix) Accepted, (string Action, string Suffix) Refused, Func<ContractorDutyRecord, bool, IReadOnlyDictionary<string, string>> Details)
{
    public static bool IsAccepted(ContractorDutyRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Status == nameof(DutyStatus.Accepted);
    }

    public TrailEntry For(ContractorDutyRecord row)
    {
        bool accepted = IsAccepted(row);
        (string action, string suffix) = accepted ? Accepted : Refused;
        return new TrailEntry(AuditActors.VendorLink(LinkId), action, Details(row, accepted), $"{KeyPrefix}.{suffix}");
    }
}

/// <summary>What one duty request asks the contractor, and the row it is recorded on.</summary>
public sealed record DutyAsk(string Kind, string TitleJa, string TitleEn, IReadOnlyList<Question> Questions, IReadOnlyList<string> Evidence, string InstanceId, string RowKey, string? For = null);

public static class DutyRequests
{
    /// <summary>Opens a duty's request (due after the usual answering time) and mails its link, once; records it as asked.</summary>
    public static async Task<OpenedRequest> OpenAsync(RequestMail mail, ContractorDutyStore duties, TimeProvider time, DutyRequestInput input, Func<Language, DutyAsk> ask)
    {
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(duties);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(ask);
        (EngagementRecord engagement, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        Language language = onboarding.Contact.PreferredLanguage;
        DutyAsk asked = ask(language);
        DateTimeOffset now = time.GetUtcNow();
        OpenedRequest opened = await mail.OpenAndMailAsync(new NewVendorRequest(
            input.EngagementId,
            asked.Kind,
            asked.TitleJa,
            asked.TitleEn,
            asked.Questions,
            asked.Evidence,
            language,
            now + mail.Options.AnswerWithin,
            WaitingInstanceId: asked.InstanceId,
            CompletionEvent: nameof(VendorRequestFulfilled),
            RequestId: input.RequestId), engagement);
        await duties.RequestedAsync(input.EngagementId, asked.RowKey, input.RequestId, input.Round, now, new DateTimeOffset(opened.DueAt, TimeSpan.Zero), asked.For);
        return opened;
    }
}

/// <summary>Starts a duty's workflow once the engagement's contract is complete; starting it again changes nothing.</summary>
public static class DutyWorkflows
{
    public static async Task<bool> EnsureStartedAsync(DurableTaskClient durable, EngagementStore store, string engagementId, string orchestrator, string instanceId, object input)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(store);
        EngagementRecord? record = await store.GetAsync(engagementId, CancellationToken.None);
        if (record?.ContractCompletedAt is null)
            return false;
        await DurableStarts.StartOnceAsync(durable, orchestrator, input, instanceId, CancellationToken.None);
        return true;
    }
}

/// <summary>
/// The recurring duties' schedule overrides (<c>Supervision:Pledges</c>, <c>Supervision:Training</c>). Unset, pledges
/// follow the contract's reporting cadence and training is planned yearly; tests compress them to seconds.
/// </summary>
public sealed class DutyOptions
{
    public const string PledgesSection = "Supervision:Pledges";
    public const string TrainingSection = "Supervision:Training";

    /// <summary>How long after an accepted answer the next one is asked for, instead of the rule's due date.</summary>
    public TimeSpan? Every { get; set; }
}

/// <summary>A duty request to open; the workflow chooses its id so a retried activity opens it once.</summary>
public sealed record DutyRequestInput(string EngagementId, string RequestId, int Round, DateOnly? For = null);

/// <summary>A duty request the contractor submitted, through which link.</summary>
public sealed record DutySubmission(string EngagementId, string RequestId, string LinkId);

/// <summary>Whether the answer was accepted and, if so, when to ask next.</summary>
public sealed record DutyOutcome(bool Accepted, DateTime? NextAskAt = null);

/// <summary>One request of a contractor duty as staff see it.</summary>
public sealed record DutyView(
    string RequestId,
    int Round,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DueAt,
    string? For,
    JsonElement? Answers,
    IReadOnlyDictionary<string, string[]>? Reasons,
    IReadOnlyList<string> EvidenceIds,
    IReadOnlyList<string> RefusedEvidenceIds,
    DateTimeOffset? RecordedAt,
    string? NextDueOn)
{
    public static DutyView Of(ContractorDutyRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new DutyView(
            row.RequestId,
            row.Round,
            JsonNamingPolicy.CamelCase.ConvertName(row.Status),
            row.RequestedAt,
            row.DueAt,
            row.For,
            ContractorDutyStore.FactsOf(row),
            ContractorDutyStore.ReasonsOf(row),
            ContractorDutyStore.Ids(row.EvidenceIds),
            ContractorDutyStore.Ids(row.RefusedEvidenceIds),
            row.RecordedAt,
            row.NextDueOn);
    }
}

public sealed record PledgesView(IReadOnlyList<DutyView> Attestations, string? LastAttestedOn, string? NextDueOn, string? Workflow);
