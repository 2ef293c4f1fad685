using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Engagements;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Storage;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Engagements;

/// <summary>
/// A stage move is one write (docs/decisions/0002): the engagement's row and the trail entry that records the move, in
/// one transaction, so a step that fails leaves neither; a retried step writes neither twice.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class StageMoveTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AStageMove_AndItsTrailEntry_LandTogetherOrNotAtAll_AndARetryWritesNeitherTwice()
    {
        LostTransactions storage = await LostTransactions.ConnectAsync(azurite.ConnectionString);
        (AuditLog audit, var store) = (storage.Audit, new EngagementStore(storage.Tables, audit: storage.Audit));
        string engagementId = EngagementIds.New();
        await storage.Tables.GetTableClient(TableNames.Engagements).AddEntityAsync(
            new EngagementRecord { PartitionKey = engagementId, Stage = nameof(EngagementStage.Received) });
        var activity = new MoveEngagementStage(store);
        var move = new StageMove(engagementId, EngagementStage.SelectionRequested, DateTime.UtcNow);

        storage.LoseNext();
        await Assert.ThrowsAsync<IOException>(() => activity.RunAsync(null!, move));

        Assert.Equal(nameof(EngagementStage.Received), (await store.GetAsync(engagementId, CancellationToken.None))!.Stage);
        Assert.Empty(await audit.ListAsync(engagementId, CancellationToken.None));

        Assert.Equal(EngagementStage.SelectionRequested, await activity.RunAsync(null!, move));
        Assert.Equal(EngagementStage.SelectionRequested, await activity.RunAsync(null!, move));

        Assert.Equal(nameof(EngagementStage.SelectionRequested), (await store.GetAsync(engagementId, CancellationToken.None))!.Stage);
        AuditEntry moved = Assert.Single(await audit.ListAsync(engagementId, CancellationToken.None));
        Assert.Equal((AuditActions.StageChanged, "selectionRequested"), (moved.Action, moved.Details["stage"]));
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
    }
}
