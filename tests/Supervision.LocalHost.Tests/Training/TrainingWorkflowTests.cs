using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Testing;
using Supervision.Training;

namespace Supervision.LocalHost.Tests.Training;

/// <summary>
/// Training of the contractor's staff (5-1, 5-2) through the contractor's link: the plan first, then each planned
/// session's result; a roster of named attendees is accepted only with the attendees' consent.
/// </summary>
[Collection(SharedAzurite.Monitoring)]
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the test through IAsyncLifetime.DisposeAsync.")]
public sealed class TrainingWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly byte[] RosterPdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% roster: Yamada, Sato, Suzuki\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(
            azurite,
            "--Supervision:Requests:AnswerWithin=00:00:30",
            "--Supervision:Requests:ReminderInterval=00:00:10",
            "--Supervision:Requests:MaxReminders=1");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task Qa_5_2_ANamedRosterWithoutTheAttendeesConsent_IsRefusedWithThe5_2Reason_AndNotCounted_ThenWithConsent_IsAccepted()
    {
        ActiveEngagement engagement = await driver.ActiveEngagementAsync();
        string id = engagement.Id;
        Assert.True(await StartTraining.StartAsync(driver.Host.Durable, driver.Host.Services.GetRequiredService<EngagementStore>(), id));
        string today = ActiveEngagements.Date(ActiveEngagements.Today);

        string planToken = await LinkAsync(id, await AskedAsync(id, "plans", 1));
        await driver.AnswerAsync(planToken, new JsonObject
        {
            ["topics"] = "Handling personal information\nLeak prevention",
            ["format"] = "Classroom",
            ["audience"] = "All staff on the work",
            ["plannedDates"] = today,
            ["resultCheck"] = "A ten-question test",
        });
        await driver.SubmitAsync(planToken);
        Assert.Equal("accepted", (string?)(await StatusAsync(id, "plans", 0, "accepted"))["plans"]![0]!["status"]);

        string firstRequest = await AskedAsync(id, "results", 1);
        string firstToken = await LinkAsync(id, firstRequest);
        string unconsented = await driver.UploadAsync(firstToken, "roster.pdf", RosterPdf);
        await AnswerResultAsync(firstToken, today, consent: "no");
        await driver.SubmitAsync(firstToken);

        JsonObject refused = await StatusAsync(id, "results", 0, "refused");
        JsonNode refusal = refused["results"]![0]!;
        Assert.Contains("(5-2)", (string)refusal["reasons"]!["hasNamedRoster"]![0]!, StringComparison.Ordinal);
        Assert.Equal([unconsented], refusal["refusedEvidenceIds"]!.AsArray().Select(item => (string)item!));
        Assert.Empty(refusal["evidenceIds"]!.AsArray());
        Assert.Equal(today, (string?)refusal["for"]);

        string secondToken = await LinkAsync(id, await AskedAsync(id, "results", 2));
        string consented = await driver.UploadAsync(secondToken, "roster.pdf", RosterPdf);
        await AnswerResultAsync(secondToken, today, consent: "yes");
        await driver.SubmitAsync(secondToken);

        JsonObject accepted = await StatusAsync(id, "results", 1, "accepted");
        Assert.Equal([consented], accepted["results"]![1]!["evidenceIds"]!.AsArray().Select(item => (string)item!));
        Assert.Null(accepted["results"]![1]!["reasons"]);
        JsonArray trail = await driver.AuditAsync(id);
        JsonNode refusedEntry = Assert.Single(trail, entry => (string?)entry!["action"] == "training.refused")!;
        Assert.Equal(unconsented, (string?)refusedEntry["details"]!["refusedEvidenceIds"]);
        JsonNode reported = Assert.Single(trail, entry => (string?)entry!["action"] == "training.reported")!;
        Assert.Equal(consented, (string?)reported["details"]!["evidenceIds"]);
        Assert.Single(trail, entry => (string?)entry!["action"] == "training.plan-accepted");
    }

    [Fact]
    public async Task Qa_5_1_APlanWithAPastDateOrAnOverlongTopic_IsRefusedAndAskedAgain()
    {
        ActiveEngagement engagement = await driver.ActiveEngagementAsync();
        string id = engagement.Id;
        Assert.True(await StartTraining.StartAsync(driver.Host.Durable, driver.Host.Services.GetRequiredService<EngagementStore>(), id));

        string token = await LinkAsync(id, await AskedAsync(id, "plans", 1));
        await driver.AnswerAsync(token, new JsonObject
        {
            ["topics"] = "Leak prevention\n" + new string('x', 201),
            ["format"] = "Classroom",
            ["audience"] = "All staff on the work",
            ["plannedDates"] = ActiveEngagements.Date(ActiveEngagements.Today.AddDays(-3)),
            ["resultCheck"] = "A ten-question test",
        });
        await driver.SubmitAsync(token);

        JsonNode plan = (await StatusAsync(id, "plans", 0, "refused"))["plans"]![0]!;
        Assert.NotNull(plan["reasons"]!["topics[1]"]);
        Assert.NotNull(plan["reasons"]!["plannedDates[0]"]);
        await AskedAsync(id, "plans", 2);
        Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "training.plan-refused");
    }

    private async Task AnswerResultAsync(string token, string heldOn, string consent) =>
        await driver.AnswerAsync(token, new JsonObject
        {
            ["heldOn"] = heldOn,
            ["content"] = "Handling personal information; leak prevention",
            ["attendance"] = "12",
            ["testTakers"] = "12",
            ["testPassed"] = "11",
            ["hasNamedRoster"] = "yes",
            ["rosterConsentConfirmed"] = consent,
        });

    private Task<string> LinkAsync(string id, string requestId) => driver.LinkOfMailAsync(id, $@"{requestId}\.request");

    private async Task<string> AskedAsync(string id, string list, int count)
    {
        JsonObject state = await Eventually.GetAsync(
            async () => await TrainingAsync(id) is { } training && training[list]!.AsArray().Count >= count ? training : null,
            EngagementDriver.Patience,
            $"{list} request {count}");
        return (string)state[list]![count - 1]!["requestId"]!;
    }

    private Task<JsonObject> StatusAsync(string id, string list, int index, string status) =>
        Eventually.GetAsync(
            async () => await TrainingAsync(id) is { } state && state[list]!.AsArray().Count > index && (string?)state[list]![index]!["status"] == status ? state : null,
            EngagementDriver.Patience,
            $"{list} {index + 1} to be {status}");

    private async Task<JsonObject> TrainingAsync(string id) => (await driver.Host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/training"))!;
}
