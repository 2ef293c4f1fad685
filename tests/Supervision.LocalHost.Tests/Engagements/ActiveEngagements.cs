using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.RequestMail);
        string signedCopy = await driver.UploadAsync(token, "contract-signed.pdf", EngagementDriver.SignedContractPdf);
        await driver.AnswerAsync(token, new JsonObject { ["responsibilitySplitAgreed"] = "yes", ["signedOn"] = Date(startsOn.AddDays(-7)) });
        await driver.SubmitAsync(token);
        await Eventually.GetAsync(
            async () => await driver.StateAsync(id) is { } state && (string?)state["contract"]!["signedContractEvidenceId"] == signedCopy ? state : null,
            EngagementDriver.Patience,
            "the signed contract to be recorded");

        JsonObject terms = JsonNode.Parse(EngagementDriver.ContractTerms)!.AsObject();
        terms["startsOn"] = Date(startsOn);
        terms["endsOn"] = Date(startsOn.AddYears(1).AddDays(-1));
        using (HttpResponseMessage recorded = await driver.Procurement.PutAsync($"/api/engagements/{id}/contract/terms", EngagementDriver.Json(terms.ToJsonString())))
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        foreach (ContractClause clause in ContractClauses.All)
        {
            using HttpResponseMessage confirmed = await driver.Supervisor.PostAsJsonAsync(
                $"/api/engagements/{id}/contract/clauses/{JsonNamingPolicy.CamelCase.ConvertName(clause.ToString())}/confirmation",
                new { article = $"第{(int)clause + 1}条" });
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        await driver.StageAsync(id, "active");
        return new ActiveEngagement(id, signedCopy, startsOn);
    }
}
