using System.Globalization;
using System.Text.Json.Nodes;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Engagements;

/// <summary>An engagement driven through the real API to a complete contract, its term starting in the past.</summary>
public sealed record ActiveEngagement(string Id, string SignedContractEvidenceId, DateOnly StartsOn);

public static class ActiveEngagements
{
    public static DateOnly Today => JapanCalendar.DateAt(DateTimeOffset.UtcNow);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Selection approved, signed contract and agreed split through the link, terms recorded, every clause confirmed.</summary>
    public static async Task<ActiveEngagement> ActiveEngagementAsync(this EngagementDriver driver, int startedDaysAgo = 60)
    {
        ArgumentNullException.ThrowIfNull(driver);
        DateOnly startsOn = Today.AddDays(-startedDaysAgo);
        string id = await driver.SelectedEngagementAsync();
        string signedCopy = await driver.SubmitSignedContractAsync(await driver.LinkOfMailAsync(id, EngagementDriver.RequestMail), agreeSplit: true);
        await Eventually.GetAsync(
            async () => await driver.StateAsync(id) is { } state && (string?)state["contract"]!["signedContractEvidenceId"] == signedCopy ? state : null,
            EngagementDriver.Patience,
            "the signed contract to be recorded");

        JsonObject terms = JsonNode.Parse(EngagementDriver.ContractTerms)!.AsObject();
        terms["startsOn"] = Date(startsOn);
        terms["endsOn"] = Date(startsOn.AddYears(1).AddDays(-1));
        await driver.RecordTermsAsync(id, terms.ToJsonString());
        await driver.ConfirmClausesAsync(id, ContractClauses.All);
        await driver.StageAsync(id, "active");
        return new ActiveEngagement(id, signedCopy, startsOn);
    }
}
