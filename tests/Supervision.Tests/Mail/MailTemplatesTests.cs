using Supervision.Domain.Common;
using Supervision.Mail;

namespace Supervision.Tests.Mail;

public sealed class MailTemplatesTests
{
    private const string Link = "https://supervision.example.jp/vendor/dd/abc?sig=x1&exp=2";

    private readonly MailTemplates templates = new();

    private static Dictionary<string, string> Model(Action<Dictionary<string, string>>? change = null)
    {
        var model = new Dictionary<string, string>
        {
            ["contactName"] = "山田 太郎",
            ["contractorName"] = "株式会社サンプル印刷",
            ["principalName"] = "東日本テレコム株式会社",
            ["link"] = Link,
            ["dueDate"] = "2027-02-15",
            ["expiresAt"] = "2027-03-01",
            ["daysOverdue"] = "3",
            ["requestTitle"] = "業務委託先選定アンケート",
        };
        change?.Invoke(model);
        return model;
    }

    [Fact]
    public void DueDiligenceRequest_InJapanese_AddressesTheContactPolitely_AndAsksForTheAnswerByTheDueDate()
    {
        RenderedMail mail = templates.Render(MailTemplates.DueDiligenceRequest, Language.Ja, Model());

        Assert.Equal("【ご依頼】委託先選定のための確認事項へのご回答のお願い（東日本テレコム株式会社）", mail.Subject);
        Assert.StartsWith("株式会社サンプル印刷\n山田 太郎 様\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("委託先選定のための確認事項へのご回答をお願いいたします。", mail.Text, StringComparison.Ordinal);
        Assert.Contains("以下のリンクから、2027年2月15日（月）までにご回答くださいますようお願い申し上げます。", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"\n{Link}\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("山田 太郎 様</p>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("<strong>2027年2月15日（月）</strong>までに", mail.Html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"ja\">", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void DueDiligenceRequest_InEnglish_AsksForTheAnswerByTheDueDate()
    {
        RenderedMail mail = templates.Render(MailTemplates.DueDiligenceRequest, Language.En, Model(model => model["contactName"] = "Taro Yamada"));

        Assert.Equal("東日本テレコム株式会社: please answer our contractor selection questionnaire", mail.Subject);
        Assert.StartsWith("Dear Taro Yamada,\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("kindly asks\n株式会社サンプル印刷 to answer its contractor selection questionnaire.", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Please answer through the link below by Monday, February 15, 2027.", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"\n{Link}\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", mail.Html, StringComparison.Ordinal);
        Assert.Contains("by <strong>Monday, February 15, 2027</strong>.", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Reminder_InJapanese_SaysHowManyDaysThePastDueDateIs()
    {
        RenderedMail mail = templates.Render(MailTemplates.Reminder, Language.Ja, Model());

        Assert.Equal("【再度のお願い】「業務委託先選定アンケート」へのご回答について（東日本テレコム株式会社）", mail.Subject);
        Assert.StartsWith("株式会社サンプル印刷\n山田 太郎 様\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("ご回答期限の2027年2月15日（月）から3日が過ぎておりますが、", mail.Text, StringComparison.Ordinal);
        Assert.Contains("本メールと行き違いでご回答いただいている場合は、何卒ご容赦ください。", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"\n{Link}\n", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", "They were due on Monday, February 15, 2027, 1 day ago.")]
    [InlineData("3", "They were due on Monday, February 15, 2027, 3 days ago.")]
    public void Reminder_InEnglish_SaysHowManyDaysAgoItWasDue(string daysOverdue, string expected)
    {
        RenderedMail mail = templates.Render(MailTemplates.Reminder, Language.En, Model(model => model["daysOverdue"] = daysOverdue));

        Assert.Equal("Reminder: 業務委託先選定アンケート (東日本テレコム株式会社)", mail.Subject);
        Assert.Contains(expected, mail.Text, StringComparison.Ordinal);
        Assert.Contains(expected.Replace("Monday, February 15, 2027", "<strong>Monday, February 15, 2027</strong>", StringComparison.Ordinal), mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MailTemplates.DueDiligenceRequest, Language.Ja)]
    [InlineData(MailTemplates.DueDiligenceRequest, Language.En)]
    [InlineData(MailTemplates.Reminder, Language.Ja)]
    [InlineData(MailTemplates.Reminder, Language.En)]
    public void ModelValues_AreHtmlEncodedInTheHtmlPart_AndLeftAsTheyAreInTheText(string template, Language language)
    {
        RenderedMail mail = templates.Render(template, language, Model(model => model["contractorName"] = "<script>alert('x')</script> & Co"));

        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co", mail.Html, StringComparison.Ordinal);
        Assert.Contains("<script>alert('x')</script> & Co", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLinkInTheHtmlPart_IsAnAttributeWithItsAmpersandsEncoded()
    {
        RenderedMail mail = templates.Render(MailTemplates.DueDiligenceRequest, Language.En, Model());

        Assert.Contains("<a href=\"https://supervision.example.jp/vendor/dd/abc?sig=x1&amp;exp=2\"", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void JapaneseText_StaysReadableInTheHtmlPart_NotNumericCharacterReferences()
    {
        RenderedMail mail = templates.Render(MailTemplates.DueDiligenceRequest, Language.Ja, Model());

        Assert.Contains("株式会社サンプル印刷<br>", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#x", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSubject_IsOneLine_EvenWhenAModelValueBreaksLines()
    {
        RenderedMail mail = templates.Render(MailTemplates.DueDiligenceRequest, Language.En, Model(model => model["principalName"] = "East\r\nTelecom"));

        Assert.Equal("East Telecom: please answer our contractor selection questionnaire", mail.Subject);
    }

    [Fact]
    public void AMissingModelValue_IsAnError_NotABlank()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(
            () => templates.Render(MailTemplates.DueDiligenceRequest, Language.Ja, Model(model => model.Remove("link"))));

        Assert.Contains("link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownTemplate_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => templates.Render("no-such-template", Language.Ja, Model()));
    }

    [Theory]
    [InlineData(Language.Ja, "【ご依頼】「業務委託先選定アンケート」のお願い（東日本テレコム株式会社）")]
    [InlineData(Language.En, "Request: 業務委託先選定アンケート (東日本テレコム株式会社)")]
    public void AVendorRequest_NamesTheRequestInItsSubject_AndGivesTheLinkAndDueDate(Language language, string subject)
    {
        RenderedMail mail = templates.Render(MailTemplates.VendorRequest, language, Model());

        Assert.Equal(subject, mail.Subject);
        Assert.Contains("業務委託先選定アンケート", mail.Text, StringComparison.Ordinal);
        Assert.Contains(Link, mail.Text, StringComparison.Ordinal);
        Assert.Contains(language == Language.Ja ? "2027年2月15日" : "February 15, 2027", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryContractorTemplate_RendersInEveryLanguage_WithTheDocumentedModel()
    {
        foreach (string name in MailTemplates.Names.Except([MailTemplates.Escalation, MailTemplates.CheckoutOverdue, MailTemplates.CorrectiveActionOverdue, MailTemplates.SubcontractPending, MailTemplates.IncidentReported, MailTemplates.IncidentReportDue, MailTemplates.EndNotice]))
        {
            foreach (Language language in Enum.GetValues<Language>())
            {
                RenderedMail mail = templates.Render(name, language, Model());

                Assert.False(string.IsNullOrWhiteSpace(mail.Subject), $"{name} {language}");
                Assert.Contains(Link, mail.Text, StringComparison.Ordinal);
                Assert.Contains("https://supervision.example.jp/vendor/dd/abc?sig=x1&amp;exp=2", mail.Html, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(Language.Ja, "2027年2月15日", "3日が過ぎて")]
    [InlineData(Language.En, "February 15, 2027", "3 days overdue")]
    public void Qa_1_6_AnOverdueCorrectiveAction_TellsTheContractorWhatWhoAndSinceWhen_WithTheLinkToReportIt(Language language, string dueDate, string overdue)
    {
        RenderedMail mail = templates.Render(MailTemplates.CorrectiveActionOverdue, language, new Dictionary<string, string>
        {
            ["contactName"] = "山田 太郎",
            ["contractorName"] = "株式会社サンプル印刷",
            ["principalName"] = "東日本テレコム株式会社",
            ["actionDescription"] = "Lock the <media> cabinet & log its keys.",
            ["owner"] = "山田 太郎 (CISO)",
            ["inspectionDate"] = "2027-01-10",
            ["dueDate"] = "2027-02-15",
            ["daysOverdue"] = "3",
            ["link"] = Link,
        });

        Assert.False(string.IsNullOrWhiteSpace(mail.Subject));
        Assert.DoesNotContain('\n', mail.Subject);
        Assert.Contains("Lock the <media> cabinet & log its keys.", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Lock the &lt;media&gt; cabinet &amp; log its keys.", mail.Html, StringComparison.Ordinal);
        Assert.Contains("山田 太郎 (CISO)", mail.Text, StringComparison.Ordinal);
        Assert.Contains(dueDate, mail.Text, StringComparison.Ordinal);
        Assert.Contains(overdue, mail.Text, StringComparison.Ordinal);
        Assert.Contains(Link, mail.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://supervision.example.jp/vendor/dd/abc?sig=x1&amp;exp=2\"", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_2_4_EndNotice_RendersInEveryLanguage_WithTheEndDate_WhatEachTierHolds_AndPaperStillOut()
    {
        Dictionary<string, string> model = Model(model =>
        {
            model["endsOn"] = "2027-03-31";
            model["holdings"] = "株式会社サンプル印刷: 氏名 (1,200)\n株式会社封入センター: 氏名 (1,000)";
            model["checkoutsOut"] = "2";
        });

        RenderedMail ja = templates.Render(MailTemplates.EndNotice, Language.Ja, model);
        RenderedMail en = templates.Render(MailTemplates.EndNotice, Language.En, model);
        RenderedMail nothingOut = templates.Render(MailTemplates.EndNotice, Language.Ja, Model(change => { change["endsOn"] = "2027-03-31"; change["holdings"] = "-"; change["checkoutsOut"] = "0"; }));

        Assert.Contains("2027年3月31日（水）をもって終了", ja.Text, StringComparison.Ordinal);
        Assert.Contains("株式会社封入センター: 氏名 (1,000)", ja.Text, StringComparison.Ordinal);
        Assert.Contains("お貸出し中の書類・媒体が2件", ja.Html, StringComparison.Ordinal);
        Assert.Contains("ends on\nWednesday, March 31, 2027", en.Text, StringComparison.Ordinal);
        Assert.Contains("2 item(s) of documents or media", en.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("お貸出し中", nothingOut.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_7_3_CheckoutOverdue_RendersInEveryLanguage_NamingTheItemAndHowLongItIsOverdue()
    {
        Dictionary<string, string> model = Model(model =>
        {
            model["itemDescription"] = "工事依頼書 2027-0042";
            model["checkedOutOn"] = "2027-02-01";
            model["dueBack"] = "2027-02-15";
        });

        RenderedMail ja = templates.Render(MailTemplates.CheckoutOverdue, Language.Ja, model);
        RenderedMail en = templates.Render(MailTemplates.CheckoutOverdue, Language.En, model);

        Assert.Contains("返却期限", ja.Subject, StringComparison.Ordinal);
        Assert.Contains("返却期限の2027年2月15日（月）から3日が過ぎております", ja.Text, StringComparison.Ordinal);
        Assert.Contains("工事依頼書 2027-0042", ja.Html, StringComparison.Ordinal);
        Assert.Contains("due back on Monday, February 15, 2027, 3 days ago", en.Text, StringComparison.Ordinal);
        Assert.Contains("Item: 工事依頼書 2027-0042", en.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", en.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_1_5_Escalation_RendersInEveryLanguage_NamingTheContractorTheEngagementAndTheDueDate()
    {
        var model = new Dictionary<string, string>
        {
            ["contractorName"] = "株式会社サンプル印刷",
            ["engagementId"] = "0123456789abcdef0123456789abcdef",
            ["requestTitle"] = "業務委託先選定アンケート",
            ["dueDate"] = "2027-02-15",
            ["reminders"] = "3",
        };
        foreach (Language language in Enum.GetValues<Language>())
        {
            RenderedMail mail = templates.Render(MailTemplates.Escalation, language, model);

            Assert.Contains("株式会社サンプル印刷", mail.Subject, StringComparison.Ordinal);
            Assert.Contains("0123456789abcdef0123456789abcdef", mail.Text, StringComparison.Ordinal);
            Assert.Contains("2027-02-15", mail.Html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Language.Ja, "2027年3月1日まで有効")]
    [InlineData(Language.En, "valid until 2027-03-01")]
    public void Qa_3_2_ASubcontractLink_TellsTheTierToRequestThroughIt_AndUntilWhen(Language language, string validity)
    {
        RenderedMail mail = templates.Render(MailTemplates.SubcontractLink, language, Model());

        Assert.Contains(Link, mail.Text, StringComparison.Ordinal);
        Assert.Contains(validity, mail.Text, StringComparison.Ordinal);
        Assert.Contains(language == Language.Ja ? "再委託" : "subcontract", mail.Subject, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ASubcontractAwaitingASupervisor_NamesTheSubcontractorItsTierAndWhatItAwaits()
    {
        RenderedMail mail = templates.Render(MailTemplates.SubcontractPending, Language.Ja, new Dictionary<string, string>
        {
            ["contractorName"] = "株式会社サンプル印刷",
            ["subcontractorName"] = "株式会社封入センター",
            ["depth"] = "2",
            ["engagementId"] = "e1",
            ["what"] = "承認",
            ["requestedOn"] = "2027-02-01",
            ["reminders"] = "1",
        });

        Assert.Equal("承認待ち：株式会社サンプル印刷 の再委託先 株式会社封入センター", mail.Subject);
        Assert.Contains("第2層", mail.Text, StringComparison.Ordinal);
        Assert.Contains("2027-02-01", mail.Text, StringComparison.Ordinal);
    }
}
