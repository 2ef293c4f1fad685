using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Common;
using Supervision.Domain.Vendors;
using Supervision.LocalHost.Tests.Http;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Vendors;

/// <summary>An engagement started over HTTP with one open request to its contractor, and the link that serves it.</summary>
internal sealed record VendorScenario(string EngagementId, IssuedLink Link)
{
    public string PagePath => Link.Url.AbsolutePath;

    public string Token => PagePath["/vendor/".Length..];

    public static async Task<VendorScenario> OpenAsync(RunningLocalHost host, Language language = Language.Ja)
    {
        string body = $$"""
            {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"山田 太郎","email":"yamada@example.co.jp","preferredLanguage":"{{language.Code()}}"},
             "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
             "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"}
            """;
        using HttpResponseMessage started = await host.Http.PostAsync("/api/engagements", new StringContent(body, Encoding.UTF8, "application/json"));
        string engagementId = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        IssuedLink link = await host.Services.GetRequiredService<VendorRequests>().OpenAsync(
            new NewVendorRequest(
                engagementId,
                "due-diligence",
                "委託先選定のための確認事項",
                "Due diligence for contractor selection",
                [
                    new Question("privacyPolicy", "個人情報保護方針を定めていますか。", "Do you have a privacy policy?", QuestionKind.YesNo),
                    new Question("manager", "個人情報の管理責任者のお名前をご記入ください。", "Who is your personal information manager?", QuestionKind.Text),
                ],
                ["プライバシーマーク登録証の写し / Copy of the Privacy Mark certificate"],
                language,
                DateTimeOffset.UtcNow.AddDays(14)),
            CancellationToken.None);
        return new VendorScenario(engagementId, link);
    }
}
