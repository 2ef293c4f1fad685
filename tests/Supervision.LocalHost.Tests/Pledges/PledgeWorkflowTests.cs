using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Pledges;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Pledges;

/// <summary>
/// Confidentiality pledges while the work runs (4-1 … 4-3): once the contract is complete the contractor attests, through
/// its link, that its staff signed; an attestation that does not add up is refused with the reasons and asked again, an
/// acceptable one is recorded and asked again at the next due time (compressed here to seconds).
/// </summary>
[Collection(SharedAzurite.Monitoring)]
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the test through IAsyncLifetime.DisposeAsync.")]
public sealed class PledgeWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(
            azurite,
            "--Supervision:Requests:AnswerWithin=00:00:30",
            "--Supervision:Requests:ReminderInterval=00:00:10",
            "--Supervision:Requests:MaxReminders=1",
            "--Supervision:Pledges:Every=00:00:04");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task Qa_4_1_Qa_4_2_AnAttestationWithFewerPledgesThanStaff_IsRefusedAndAskedAgain_ThenAccepted_AndAskedAgainWhenNextDue()
    {
        string id = await ActiveWithPledgesAsync();

        string first = await AskedAsync(id, 1);
        await AttestAsync(id, first, staff: 5, signed: 4, stationed: 0, stricter: 0);
        JsonObject refused = await StatusAsync(id, 0, "refused");
        Assert.Contains("have not signed", (string)refused["attestations"]![0]!["reasons"]!["pledgesSigned"]![0]!, StringComparison.Ordinal);

        string second = await AskedAsync(id, 2);
        Assert.NotEqual(first, second);
        await AttestAsync(id, second, staff: 5, signed: 5, stationed: 2, stricter: 2);
        JsonObject accepted = await StatusAsync(id, 1, "accepted");
        Assert.Equal(ActiveEngagements.Date(ActiveEngagements.Today), (string?)accepted["lastAttestedOn"]);
        Assert.NotNull(accepted["nextDueOn"]);

        JsonObject renewed = await Eventually.GetAsync(
            async () => await PledgesAsync(id) is { } state && state["attestations"]!.AsArray().Count == 3 ? state : null,
            EngagementDriver.Patience,
            "the next attestation to be asked for");
        Assert.Equal(2, (int)renewed["attestations"]![2]!["round"]!);
        Assert.Equal("requested", (string?)renewed["attestations"]![2]!["status"]);
        JsonArray trail = await driver.AuditAsync(id);
        JsonNode refusal = Assert.Single(trail, entry => (string?)entry!["action"] == "pledge.refused")!;
        Assert.Equal("4", (string?)refusal["details"]!["pledgesSigned"]);
        Assert.Single(trail, entry => (string?)entry!["action"] == "pledge.attested");

        // The staff's engagement page lists the three attestations asked, as the API does.
        string page = await driver.Supervisor.GetStringAsync($"/staff/engagements/{id}?lang=en");
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(page, "data-duty=\"pledge\""));
    }

    [Fact]
    public async Task Qa_4_3_StaffStationedAtThePrincipalsSite_WithoutTheStricterPledge_AreRefused()
    {
        string id = await ActiveWithPledgesAsync();

        await AttestAsync(id, await AskedAsync(id, 1), staff: 5, signed: 5, stationed: 2, stricter: 1);

        JsonObject refused = await StatusAsync(id, 0, "refused");
        string reason = (string)refused["attestations"]![0]!["reasons"]!["stricterPledgesSigned"]![0]!;
        Assert.Contains("(4-3)", reason, StringComparison.Ordinal);
        Assert.Null(refused["lastAttestedOn"]);
        await AskedAsync(id, 2);
        Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "pledge.refused");
    }

    [Fact]
    public async Task StartPledges_IsIdempotent_AndWaitsForACompleteContract()
    {
        string selected = await driver.SelectedEngagementAsync();
        EngagementStore store = driver.Host.Services.GetRequiredService<EngagementStore>();
        Assert.False(await StartPledges.StartAsync(driver.Host.Durable, store, selected));
        Assert.Null(await driver.Host.Durable.GetInstanceAsync(PledgeWorkflowInput.InstanceId(selected)));

        string id = await ActiveWithPledgesAsync();
        Assert.True(await StartPledges.StartAsync(driver.Host.Durable, store, id));
        await AskedAsync(id, 1);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single((await PledgesAsync(id))["attestations"]!.AsArray());
    }

    private async Task<string> ActiveWithPledgesAsync()
    {
        ActiveEngagement engagement = await driver.ActiveEngagementAsync();
        Assert.True(await StartPledges.StartAsync(driver.Host.Durable, driver.Host.Services.GetRequiredService<EngagementStore>(), engagement.Id));
        return engagement.Id;
    }

    /// <summary>Waits for the <paramref name="count"/>th attestation request and answers its request id.</summary>
    private async Task<string> AskedAsync(string id, int count)
    {
        JsonObject state = await Eventually.GetAsync(
            async () => await PledgesAsync(id) is { } pledges && pledges["attestations"]!.AsArray().Count >= count ? pledges : null,
            EngagementDriver.Patience,
            $"attestation request {count}");
        return (string)state["attestations"]![count - 1]!["requestId"]!;
    }

    private async Task AttestAsync(string id, string requestId, int staff, int signed, int stationed, int stricter)
    {
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        await driver.AnswerAsync(token, new JsonObject
        {
            ["staffOnWork"] = $"{staff}",
            ["pledgesSigned"] = $"{signed}",
            ["stationedAtPrincipalSite"] = $"{stationed}",
            ["stricterPledgesSigned"] = $"{stricter}",
            ["attestedOn"] = ActiveEngagements.Date(ActiveEngagements.Today),
        });
        await driver.SubmitAsync(token);
    }

    private Task<JsonObject> StatusAsync(string id, int index, string status) =>
        Eventually.GetAsync(
            async () => await PledgesAsync(id) is { } state && (string?)state["attestations"]![index]!["status"] == status ? state : null,
            EngagementDriver.Patience,
            $"attestation {index + 1} to be {status}");

    private async Task<JsonObject> PledgesAsync(string id) => (await driver.Host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/pledges"))!;
}
