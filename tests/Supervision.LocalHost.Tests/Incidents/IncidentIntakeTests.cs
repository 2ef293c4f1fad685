using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Domain.Incidents;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Incidents;

/// <summary>
/// An incident taken in is one write (docs/decisions/0002): its row and the trail entry that reports it, in one
/// transaction, so an intake that fails leaves neither; the same report again finds it and writes neither twice.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class IncidentIntakeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AnIncidentsRow_AndItsReportedEntry_LandTogetherOrNotAtAll_AndARepeatWritesNeitherTwice()
    {
        LostTransactions storage = await LostTransactions.ConnectAsync(azurite.ConnectionString);
        AuditLog audit = storage.Audit;
        var incidents = new IncidentStore(storage.Tables, new EngagementRegistry(storage.Tables, NullLogger<EngagementRegistry>.Instance));
        var intake = new IncidentIntake(
            new EngagementStore(storage.Tables, audit: audit),
            new TierStore(storage.Tables),
            incidents,
            Mock.Of<IFindingRaiser>(),
            new EventOutbox(storage.Tables, audit, TimeProvider.System, NullLogger<EventOutbox>.Instance),
            Options.Create(new IncidentOptions()),
            TimeProvider.System,
            NullLogger<IncidentIntake>.Instance);
        string engagementId = EngagementIds.New();
        string incidentId = EngagementIds.New();
        var engagement = new EngagementRecord { PartitionKey = engagementId, Stage = nameof(EngagementStage.Active) };
        DateTimeOffset learned = DateTimeOffset.UtcNow.AddHours(-1);
        var facts = new IncidentFacts(
            IncidentKind.Leak, "A laptop holding the mailing list was lost.", learned, learned, ["name"], 10, Tiers.Contractor, null, false, false, false, false, false);

        storage.LoseNext();
        await Assert.ThrowsAsync<IOException>(() => intake.RecordAsync(engagement, incidentId, facts, "staff:test-supervisor", CancellationToken.None));

        Assert.Null(await incidents.GetAsync(engagementId, incidentId, CancellationToken.None));
        Assert.Empty(await audit.ListAsync(engagementId, CancellationToken.None));

        (IncidentRecord? recorded, IResult? conflict) = await intake.RecordAsync(engagement, incidentId, facts, "staff:test-supervisor", CancellationToken.None);
        Assert.Null(conflict);
        (IncidentRecord? again, conflict) = await intake.RecordAsync(engagement, incidentId, facts, "staff:test-supervisor", CancellationToken.None);
        Assert.Null(conflict);
        Assert.Equal(recorded!.PrincipalLearnedAt, again!.PrincipalLearnedAt);
        (_, conflict) = await intake.RecordAsync(engagement, incidentId, facts with { PeopleAffected = 11 }, "staff:test-supervisor", CancellationToken.None);
        Assert.NotNull(conflict);

        AuditEntry reported = Assert.Single(await audit.ListAsync(engagementId, CancellationToken.None));
        Assert.Equal((AuditActions.IncidentReported, incidentId), (reported.Action, reported.Details["incidentId"]));
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
    }
}
