using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Incidents;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Incidents;

/// <summary>
/// One incident: a row <c>incident|{id}</c> in the engagement's partition of the Engagements table, holding the facts as
/// reported, the judgement of reportability, the reports owed and the response checklist, so every step is one
/// ETag-conditional write of one row.
/// </summary>
public sealed class IncidentRecord : ITableEntity
{
    public const string Prefix = EngagementRegistry.IncidentRowPrefix;

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The facts as reported (<see cref="IncidentFacts"/>), as JSON.</summary>
    public string Facts { get; set; } = "{}";

    /// <summary>When the principal learned of it: the regulator's clock starts here.</summary>
    public DateTimeOffset PrincipalLearnedAt { get; set; }

    public string ReportedBy { get; set; } = string.Empty;

    /// <summary>SHA-256 of the validated report: a repeated idempotency key must carry the same report.</summary>
    public string ReportHash { get; set; } = string.Empty;

    /// <summary>6-3: told later than the contract allows, and the hours it allows.</summary>
    public bool NoticeLate { get; set; }

    public int NotifyWithinHours { get; set; }

    /// <summary>The corrective action a late notice opened (6-3), once it is open.</summary>
    public string? LateNoticeActionId { get; set; }

    /// <summary>The rule's judgement (<see cref="ReportabilityJudgement"/>) as JSON, and a supervisor's confirmation or override.</summary>
    public string Judgement { get; set; } = "{}";

    public bool? ReportableAsDecided { get; set; }

    public string? JudgedBy { get; set; }

    public DateTimeOffset? JudgedAt { get; set; }

    public string? JudgementReason { get; set; }

    /// <summary>The reports owed (<see cref="ReportState"/> list) and the response checklist (<see cref="StepState"/> list), as JSON.</summary>
    public string Reports { get; set; } = "[]";

    public string Steps { get; set; } = "[]";

    /// <summary>6-2: the one voice to the customer (<see cref="IncidentCoordination"/>) as JSON, and who decided it.</summary>
    public string? Coordination { get; set; }

    public string? CoordinatedBy { get; set; }

    /// <summary>7-1: the client's agreement to publication, when the data is held for a client: who at the client agreed, recorded by whom.</summary>
    public string? ClientAgreedBy { get; set; }

    public string? ClientAgreementRecordedBy { get; set; }

    public DateTimeOffset? ClientAgreedAt { get; set; }

    public string State { get; set; } = IncidentStates.Open;

    public string? ClosedBy { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosingNote { get; set; }

    public string EngagementId => PartitionKey;

    public string IncidentId => RowKey[Prefix.Length..];

    public IncidentFacts ReadFacts() => JsonSerializer.Deserialize<IncidentFacts>(Facts, ApiJson.Options)!;

    public ReportabilityJudgement ReadJudgement() => JsonSerializer.Deserialize<ReportabilityJudgement>(Judgement, ApiJson.Options)!;

    public List<ReportState> ReadReports() => JsonSerializer.Deserialize<List<ReportState>>(Reports, ApiJson.Options) ?? [];

    public IncidentCoordination? ReadCoordination() => Coordination is null ? null : JsonSerializer.Deserialize<IncidentCoordination>(Coordination, ApiJson.Options);

    /// <summary>What still keeps the incident open (<see cref="ResponseChecklist.Missing"/>).</summary>
    public IReadOnlyList<string> Missing() =>
        ResponseChecklist.Missing(ReadSteps(), ReadReports(), JudgedBy is not null, ReadFacts().HeldForClient is not null, ClientAgreedAt is not null);

    public List<StepState> ReadSteps() => JsonSerializer.Deserialize<List<StepState>>(Steps, ApiJson.Options) ?? [];

    public void Write(IEnumerable<ReportState> reports) => Reports = JsonSerializer.Serialize(reports, ApiJson.Options);

    public void Write(IEnumerable<StepState> steps) => Steps = JsonSerializer.Serialize(steps, ApiJson.Options);

    /// <summary>Reportable as a supervisor decided it, or as the rule judged it until they do.</summary>
    public bool Reportable => ReportableAsDecided ?? ReadJudgement().Reportable;

    public static string Key(string incidentId) => Prefix + incidentId;

    /// <summary>The durable instance that chases the incident's reports: <c>{engagementId}-incident-{incidentId}</c>.</summary>
    public static string InstanceId(string engagementId, string incidentId) => $"{engagementId}-incident-{incidentId}";
}

public static class IncidentStates
{
    public const string Open = "open";
    public const string Closed = "closed";
}

public sealed class IncidentStore(TableServiceClient tables, EngagementRegistry registry)
{
    /// <summary>How many engagements' incidents the list of every incident reads at once.</summary>
    private const int ReadsAtOnce = 8;

    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public Task<IncidentRecord?> GetAsync(string engagementId, string incidentId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<IncidentRecord>(engagementId, IncidentRecord.Key(incidentId), cancellationToken);

    public Task<List<IncidentRecord>> ListAsync(string engagementId, CancellationToken cancellationToken) =>
        table.ListByPrefixAsync<IncidentRecord>(engagementId, IncidentRecord.Prefix, cancellationToken);

    public Task<IncidentRecord?> UpdateAsync(string engagementId, string incidentId, Func<IncidentRecord, bool> change, CancellationToken cancellationToken) =>
        table.UpdateAsync(engagementId, IncidentRecord.Key(incidentId), change, cancellationToken);

    /// <summary>Lists the engagement among those with incidents: done before its first incident commits, so none is missing.</summary>
    public Task RegisterAsync(string engagementId, CancellationToken cancellationToken) =>
        registry.RegisterAsync(engagementId, cancellationToken, EngagementRegistry.WithIncidents);

    /// <summary>
    /// Incidents in <paramref name="state"/> across every engagement: the range of incident rows of each engagement the
    /// registry lists as having any, a few at a time. No table is scanned.
    /// </summary>
    public async Task<List<IncidentRecord>> ListAllAsync(string state, CancellationToken cancellationToken)
    {
        var rows = new List<IncidentRecord>();
        string inState = TableClient.CreateQueryFilter($"State eq {state}");
        await Parallel.ForEachAsync(
            registry.EngagementIdsAsync(cancellationToken, EngagementRegistry.WithIncidents),
            new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce, CancellationToken = cancellationToken },
            async (engagementId, token) =>
            {
                List<IncidentRecord> found = await table.ListByPrefixAsync<IncidentRecord>(engagementId, IncidentRecord.Prefix, token, inState);
                lock (rows)
                    rows.AddRange(found);
            });
        return rows;
    }
}
