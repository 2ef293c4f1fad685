using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Inspections;
using Supervision.Inspections;
using Supervision.Kernel;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Inspections;

/// <summary>
/// One write per step (docs/decisions/0002) for an inspection's findings, against real Table Storage (Azurite): each
/// corrective action lands with the trail entry that raises it and the inspection's count, or none of them does.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class InspectionWriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string engagementId = EngagementIds.New();
    private readonly string inspectionId = Guid.NewGuid().ToString("N");
    private TableServiceClient tables = null!;
    private AuditLog audit = null!;
    private InspectionStore inspections = null!;

    public async Task InitializeAsync()
    {
        tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(TableNames.Engagements);
        audit = new AuditLog(tables, TimeProvider.System);
        inspections = new InspectionStore(tables, audit);
        var inspection = new InspectionRecord
        {
            PartitionKey = engagementId,
            RowKey = InspectionRecord.Key(inspectionId),
            Kind = nameof(InspectionKind.Unannounced),
            On = "2027-02-01",
            Inspector = "test-supervisor",
            RecordedBy = "test-supervisor",
            RecordedAt = DateTimeOffset.UtcNow,
        };
        await inspections.AddOrGetAsync(inspection, _ => new TrailEntry("staff:test-supervisor", AuditActions.InspectionRecorded, new Dictionary<string, string>(), $"inspection.{inspectionId}.recorded"), CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Findings_OfAnInspectionThatChangedSinceItWasRead_AddNoActionNoEntryAndNoCount()
    {
        InspectionRecord stale = (await inspections.GetAsync(engagementId, inspectionId, CancellationToken.None))!;
        InspectionRecord current = (await inspections.GetAsync(engagementId, inspectionId, CancellationToken.None))!;
        Assert.Equal(1, await inspections.AddActionsAsync(current, Actions(1), Raised, CancellationToken.None));
        long head = (await audit.HeadAsync(engagementId, CancellationToken.None))!.Sequence;

        int added = await inspections.AddActionsAsync(stale, Actions(3), Raised, CancellationToken.None);

        Assert.Equal(0, added);
        Assert.Equal(0, stale.FindingCount);
        Assert.Single(await inspections.ListActionsAsync(engagementId, CancellationToken.None));
        Assert.Equal(1, (await inspections.GetAsync(engagementId, inspectionId, CancellationToken.None))!.FindingCount);
        Assert.Equal(head, (await audit.HeadAsync(engagementId, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task Findings_MoreThanOneTransactionHolds_AreEachAddedWithTheirEntry_AndCounted()
    {
        InspectionRecord inspection = (await inspections.GetAsync(engagementId, inspectionId, CancellationToken.None))!;
        List<CorrectiveActionRecord> actions = Actions(InspectionEndpoints.MaxFindingsPerRequest);

        int added = await inspections.AddActionsAsync(inspection, actions, Raised, CancellationToken.None);

        Assert.Equal(actions.Count, added);
        Assert.Equal(actions.Count, (await inspections.GetAsync(engagementId, inspectionId, CancellationToken.None))!.FindingCount);
        Assert.Equal(actions.Count, (await inspections.ListActionsAsync(engagementId, CancellationToken.None)).Count);
        IReadOnlyList<AuditEntry> trail = await audit.ListAsync(engagementId, CancellationToken.None);
        Assert.Equal(actions.Select(action => action.ActionId).Order(StringComparer.Ordinal), trail.Where(entry => entry.Action == AuditActions.CorrectiveActionRaised).Select(entry => entry.Details["actionId"]).Order(StringComparer.Ordinal));
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
    }

    private List<CorrectiveActionRecord> Actions(int count) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            string actionId = Guid.NewGuid().ToString("N");
            return new CorrectiveActionRecord { PartitionKey = engagementId, RowKey = CorrectiveActionRecord.Key(inspectionId, actionId), InspectionId = inspectionId, ActionId = actionId };
        })];

    private static TrailEntry Raised(CorrectiveActionRecord action) =>
        new("staff:test-supervisor", AuditActions.CorrectiveActionRaised, new Dictionary<string, string> { ["actionId"] = action.ActionId }, $"action.{action.ActionId}.raised");
}
