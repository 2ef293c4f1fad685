using Supervision.Domain.Common;
using Supervision.Domain.Engagements;

namespace Supervision.Domain.Tests.Engagements;

public sealed class OnboardingRulesTests
{
    private const string ValidCorporateNumber = "7000012050002"; // National Tax Agency

    private static DatasetDraft ValidDataset() => new()
    {
        Name = "Employees",
        Items = ["name", "address"],
        RecordCount = 1_200,
        IsSensitive = false,
        LeakCausesSecondaryDamage = false,
    };

    private static OnboardingDraft ValidDraft() => new()
    {
        Contractor = new ContractorDraft { Name = "Acme", CorporateNumber = ValidCorporateNumber },
        Contact = new ContactDraft { Name = "Taro Yamada", Email = "taro@example.co.jp", PreferredLanguage = "ja" },
        Purpose = "Payroll processing",
        Datasets = [ValidDataset()],
        PlannedStart = new DateOnly(2026, 4, 1),
        PlannedEnd = new DateOnly(2027, 3, 31),
    };

    private static OnboardingDraft WithDatasets(params DatasetDraft?[] datasets) => ValidDraft() with { Datasets = datasets };

    private static OnboardingDraft WithEmail(string? email) =>
        ValidDraft() with { Contact = ValidDraft().Contact! with { Email = email } };

    private static OnboardingRequest AssertValid(OnboardingDraft draft)
    {
        ValidationErrors errors = OnboardingRules.Validate(draft, out OnboardingRequest? request);

        Assert.Empty(errors.ToDictionary());
        Assert.True(errors.IsEmpty);
        return Assert.IsType<OnboardingRequest>(request);
    }

    private static IReadOnlyDictionary<string, string[]> AssertInvalid(OnboardingDraft draft)
    {
        ValidationErrors errors = OnboardingRules.Validate(draft, out OnboardingRequest? request);

        Assert.False(errors.IsEmpty);
        Assert.Null(request);
        IReadOnlyDictionary<string, string[]> result = errors.ToDictionary();
        Assert.All(result, pair => Assert.All(pair.Value, message => Assert.False(string.IsNullOrWhiteSpace(message))));
        Assert.All(result, pair => Assert.NotEmpty(pair.Value));
        return result;
    }

    /// <summary>The draft is invalid for exactly one field, and the answer names only that field.</summary>
    private static string[] AssertOnlyError(OnboardingDraft draft, string field)
    {
        IReadOnlyDictionary<string, string[]> errors = AssertInvalid(draft);

        Assert.Equal([field], errors.Keys);
        return errors[field];
    }

    [Fact]
    public void ValidDraft_UsedByTheseTests_IsValid()
    {
        AssertValid(ValidDraft());
    }

    [Fact]
    public void Validate_Throws_WhenDraftIsNull()
    {
        Assert.Throws<ArgumentNullException>(() => OnboardingRules.Validate(null!, out _));
    }

    [Fact]
    public void Validate_ReturnsTrimmedTypedRequest_WhenDraftIsValid()
    {
        var draft = new OnboardingDraft
        {
            Contractor = new ContractorDraft { Name = "  Acme 株式会社  ", CorporateNumber = " 7000012050002\t" },
            Contact = new ContactDraft { Name = " 山田 太郎 ", Email = "  taro@example.co.jp ", PreferredLanguage = " en " },
            Purpose = "\n Payroll processing \n",
            Datasets =
            [
                new DatasetDraft
                {
                    Name = " Employees ",
                    Items = [" name ", "address\t"],
                    RecordCount = 1_200,
                    IsSensitive = false,
                    LeakCausesSecondaryDamage = true,
                },
                new DatasetDraft
                {
                    Name = "Health checks",
                    Items = ["diagnosis"],
                    RecordCount = 300,
                    IsSensitive = true,
                    LeakCausesSecondaryDamage = false,
                },
            ],
            PlannedStart = new DateOnly(2026, 4, 1),
            PlannedEnd = new DateOnly(2027, 3, 31),
        };

        OnboardingRequest request = AssertValid(draft);

        Assert.Equal(new Contractor("Acme 株式会社", "7000012050002"), request.Contractor);
        Assert.Equal("山田 太郎", request.Contact.Name);
        Assert.Equal("taro@example.co.jp", request.Contact.Email);
        Assert.Equal(Language.En, request.Contact.PreferredLanguage);
        Assert.Equal("Payroll processing", request.Purpose);
        Assert.Equal(new DateOnly(2026, 4, 1), request.PlannedStart);
        Assert.Equal(new DateOnly(2027, 3, 31), request.PlannedEnd);

        Assert.Equal(2, request.Datasets.Count);
        Dataset first = request.Datasets[0];
        Assert.Equal("Employees", first.Name);
        Assert.Equal(["name", "address"], first.Items);
        Assert.Equal(1_200, first.RecordCount);
        Assert.False(first.IsSensitive);
        Assert.True(first.LeakCausesSecondaryDamage);
        Dataset second = request.Datasets[1];
        Assert.Equal("Health checks", second.Name);
        Assert.Equal(["diagnosis"], second.Items);
        Assert.Equal(300, second.RecordCount);
        Assert.True(second.IsSensitive);
        Assert.False(second.LeakCausesSecondaryDamage);
    }

    [Theory]
    [InlineData("ja", Language.Ja)]
    [InlineData("JA", Language.Ja)]
    [InlineData("Ja", Language.Ja)]
    [InlineData("en", Language.En)]
    [InlineData("EN", Language.En)]
    [InlineData(" en ", Language.En)]
    public void Validate_ParsesPreferredLanguage_IgnoringCaseAndSurroundingSpace(string code, Language expected)
    {
        OnboardingDraft draft = ValidDraft() with { Contact = ValidDraft().Contact! with { PreferredLanguage = code } };

        Assert.Equal(expected, AssertValid(draft).Contact.PreferredLanguage);
    }

    [Fact]
    public void Validate_NamesEveryMissingField_WhenDraftIsEmpty()
    {
        IReadOnlyDictionary<string, string[]> errors = AssertInvalid(new OnboardingDraft());

        string[] expected =
        [
            "contractor.name",
            "contact.name",
            "contact.email",
            "contact.preferredLanguage",
            "purpose",
            "datasets",
            "plannedStart",
            "plannedEnd",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(errors.Values, messages => Assert.Single(messages));
    }

    [Fact]
    public void Validate_NamesEveryMissingField_WhenNestedFieldsAreBlank()
    {
        var draft = new OnboardingDraft
        {
            Contractor = new ContractorDraft { Name = "  ", CorporateNumber = " " },
            Contact = new ContactDraft { Name = "", Email = " ", PreferredLanguage = "" },
            Purpose = "\t",
            Datasets = [],
        };

        IReadOnlyDictionary<string, string[]> errors = AssertInvalid(draft);

        string[] expected =
        [
            "contractor.name",
            "contact.name",
            "contact.email",
            "contact.preferredLanguage",
            "purpose",
            "datasets",
            "plannedStart",
            "plannedEnd",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_NamesEveryBadField_InOneAnswer()
    {
        OnboardingDraft draft = ValidDraft() with
        {
            Contact = ValidDraft().Contact! with { Email = "x", PreferredLanguage = "fr" },
            Datasets = [ValidDataset(), ValidDataset() with { RecordCount = 0, IsSensitive = null }],
            PlannedEnd = new DateOnly(2026, 3, 31),
        };

        IReadOnlyDictionary<string, string[]> errors = AssertInvalid(draft);

        string[] expected =
        [
            "contact.email",
            "contact.preferredLanguage",
            "datasets[1].isSensitive",
            "datasets[1].recordCount",
            "plannedEnd",
        ];
        Assert.Equal(expected, errors.Keys.Order(StringComparer.Ordinal));
    }

    // ---- contact.email ----

    [Theory]
    [InlineData("a@b")] // no dot in the domain
    [InlineData("x")]
    [InlineData("a@b.c, d@e.f")] // a list
    [InlineData("a@b.c; d@e.f")]
    [InlineData("Name <a@b.co>")] // a display name around the address
    [InlineData("<a@b.co>")]
    [InlineData("a@@b.co")]
    [InlineData("@b.co")]
    [InlineData("a@")]
    public void Validate_RejectsEmail_WhenItIsNotOneBareAddress(string email)
    {
        string[] messages = AssertOnlyError(WithEmail(email), "contact.email");

        Assert.Single(messages);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_RequiresEmail_WhenMissingOrBlank(string? email)
    {
        string[] messages = AssertOnlyError(WithEmail(email), "contact.email");

        Assert.Contains("required", Assert.Single(messages), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a@b.co")]
    [InlineData("first.last+tag@sub.example.co.jp")]
    [InlineData("A@B.CO")]
    public void Validate_AcceptsEmail_WhenItIsOneAddress(string email)
    {
        Assert.Equal(email, AssertValid(WithEmail($" {email} ")).Contact.Email);
    }

    [Fact]
    public void Validate_AcceptsEmail_WhenItIsExactly254Characters()
    {
        // 64-character local part (RFC 5321's limit) and labels of at most 63 characters.
        string email = $"{new string('a', 64)}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', 61)}";
        Assert.Equal(254, email.Length);

        Assert.Equal(email, AssertValid(WithEmail(email)).Contact.Email);
    }

    [Fact]
    public void Validate_RejectsEmail_WhenItIsLongerThan254Characters()
    {
        string email = $"{new string('a', 64)}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', 62)}";
        Assert.Equal(255, email.Length);

        string[] messages = AssertOnlyError(WithEmail(email), "contact.email");

        Assert.Contains(messages, message => message.Contains("254", StringComparison.Ordinal));
    }

    // ---- contact.preferredLanguage ----

    [Theory]
    [InlineData("fr")]
    [InlineData("japanese")]
    [InlineData("ja-JP")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_RejectsPreferredLanguage_WhenItIsNotJaOrEn(string? code)
    {
        OnboardingDraft draft = ValidDraft() with { Contact = ValidDraft().Contact! with { PreferredLanguage = code } };

        Assert.Single(AssertOnlyError(draft, "contact.preferredLanguage"));
    }

    // ---- planned dates ----

    [Fact]
    public void Validate_RejectsPlannedEnd_WhenItIsBeforePlannedStart()
    {
        OnboardingDraft draft = ValidDraft() with { PlannedStart = new DateOnly(2026, 4, 2), PlannedEnd = new DateOnly(2026, 4, 1) };

        string[] messages = AssertOnlyError(draft, "plannedEnd");

        Assert.Contains("plannedStart", Assert.Single(messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsPlannedEnd_WhenItIsTheSameDayAsPlannedStart()
    {
        var day = new DateOnly(2026, 4, 1);

        OnboardingRequest request = AssertValid(ValidDraft() with { PlannedStart = day, PlannedEnd = day });

        Assert.Equal(day, request.PlannedStart);
        Assert.Equal(day, request.PlannedEnd);
    }

    [Fact]
    public void Validate_NamesOnlyPlannedStart_WhenOnlyItIsMissing()
    {
        Assert.Single(AssertOnlyError(ValidDraft() with { PlannedStart = null }, "plannedStart"));
    }

    [Fact]
    public void Validate_NamesOnlyPlannedEnd_WhenOnlyItIsMissing()
    {
        Assert.Single(AssertOnlyError(ValidDraft() with { PlannedEnd = null }, "plannedEnd"));
    }

    // ---- datasets ----

    [Fact]
    public void Validate_RejectsDatasets_WhenListIsEmpty()
    {
        Assert.Single(AssertOnlyError(WithDatasets(), "datasets"));
    }

    [Fact]
    public void Validate_RejectsDatasets_WhenListIsMissing()
    {
        Assert.Single(AssertOnlyError(ValidDraft() with { Datasets = null }, "datasets"));
    }

    [Fact]
    public void Validate_NamesTheNullDatasetByIndex_WhenAnElementIsNull()
    {
        Assert.Single(AssertOnlyError(WithDatasets(ValidDataset(), null, ValidDataset()), "datasets[1]"));
    }

    [Fact]
    public void Validate_NamesTheBadDatasetByIndex_WhenALaterDatasetIsInvalid()
    {
        OnboardingDraft draft = WithDatasets(ValidDataset(), ValidDataset(), ValidDataset() with { RecordCount = null });

        AssertOnlyError(draft, "datasets[2].recordCount");
    }

    [Fact]
    public void Validate_AcceptsDataset_WhenItHasNoName()
    {
        // Only items, count and the two flags are required of a dataset; its name is optional.
        OnboardingRequest request = AssertValid(WithDatasets(ValidDataset() with { Name = null }));

        Assert.Equal(string.Empty, Assert.Single(request.Datasets).Name);
    }

    [Fact]
    public void Validate_RejectsDatasetName_WhenLongerThanMaxNameLength()
    {
        string name = new('n', OnboardingRules.MaxNameLength + 1);

        AssertOnlyError(WithDatasets(ValidDataset() with { Name = name }), "datasets[0].name");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_NamesTheBlankItemByIndex_WhenAnItemIsBlank(string? item)
    {
        OnboardingDraft draft = WithDatasets(ValidDataset() with { Items = ["name", item, "phone"] });

        Assert.Single(AssertOnlyError(draft, "datasets[0].items[1]"));
    }

    [Fact]
    public void Validate_RejectsItems_WhenListIsEmpty()
    {
        AssertOnlyError(WithDatasets(ValidDataset() with { Items = [] }), "datasets[0].items");
    }

    [Fact]
    public void Validate_RejectsItems_WhenListIsMissing()
    {
        AssertOnlyError(WithDatasets(ValidDataset() with { Items = null }), "datasets[0].items");
    }

    [Fact]
    public void Validate_RejectsItems_WhenThereAreMoreThanMaxItemsPerDataset()
    {
        string?[] items = [.. Enumerable.Range(0, OnboardingRules.MaxItemsPerDataset + 1).Select(i => $"item {i}")];

        Assert.Single(AssertOnlyError(WithDatasets(ValidDataset() with { Items = items }), "datasets[0].items"));
    }

    [Fact]
    public void Validate_AcceptsItems_WhenThereAreExactlyMaxItemsPerDataset()
    {
        string?[] items = [.. Enumerable.Range(0, OnboardingRules.MaxItemsPerDataset).Select(i => $"item {i}")];

        Assert.Equal(OnboardingRules.MaxItemsPerDataset, Assert.Single(AssertValid(WithDatasets(ValidDataset() with { Items = items })).Datasets).Items.Count);
    }

    [Fact]
    public void Validate_RejectsItem_WhenLongerThanMaxItemLength()
    {
        string?[] items = ["ok", new string('i', OnboardingRules.MaxItemLength + 1)];

        AssertOnlyError(WithDatasets(ValidDataset() with { Items = items }), "datasets[0].items[1]");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(OnboardingRules.MaxRecordCount + 1)]
    [InlineData(int.MaxValue)]
    public void Validate_RejectsRecordCount_WhenOutsideOneToMax(int recordCount)
    {
        string[] messages = AssertOnlyError(WithDatasets(ValidDataset() with { RecordCount = recordCount }), "datasets[0].recordCount");

        Assert.Single(messages);
    }

    [Fact]
    public void Validate_RequiresRecordCount_WhenMissing()
    {
        Assert.Single(AssertOnlyError(WithDatasets(ValidDataset() with { RecordCount = null }), "datasets[0].recordCount"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(OnboardingRules.MaxRecordCount)]
    public void Validate_AcceptsRecordCount_AtTheBoundsOfTheRange(int recordCount)
    {
        OnboardingRequest request = AssertValid(WithDatasets(ValidDataset() with { RecordCount = recordCount }));

        Assert.Equal(recordCount, Assert.Single(request.Datasets).RecordCount);
    }

    [Fact]
    public void Validate_RequiresIsSensitive_WhenMissing()
    {
        Assert.Single(AssertOnlyError(WithDatasets(ValidDataset() with { IsSensitive = null }), "datasets[0].isSensitive"));
    }

    [Fact]
    public void Validate_RequiresLeakCausesSecondaryDamage_WhenMissing()
    {
        Assert.Single(AssertOnlyError(
            WithDatasets(ValidDataset() with { LeakCausesSecondaryDamage = null }),
            "datasets[0].leakCausesSecondaryDamage"));
    }

    [Fact]
    public void Validate_RejectsDatasets_WhenThereAreMoreThanMaxDatasets()
    {
        DatasetDraft?[] datasets = [.. Enumerable.Range(0, OnboardingRules.MaxDatasets + 1).Select(_ => ValidDataset())];

        string[] messages = AssertOnlyError(WithDatasets(datasets), "datasets");

        Assert.Contains(OnboardingRules.MaxDatasets.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsDatasets_WhenThereAreExactlyMaxDatasets()
    {
        DatasetDraft?[] datasets = [.. Enumerable.Range(0, OnboardingRules.MaxDatasets).Select(_ => ValidDataset())];

        Assert.Equal(OnboardingRules.MaxDatasets, AssertValid(WithDatasets(datasets)).Datasets.Count);
    }

    // ---- length limits of the top-level text fields ----

    [Fact]
    public void Validate_RejectsContractorName_WhenItIs201Characters()
    {
        OnboardingDraft draft = ValidDraft() with { Contractor = ValidDraft().Contractor! with { Name = new string('a', 201) } };

        string[] messages = AssertOnlyError(draft, "contractor.name");

        Assert.Contains("200", Assert.Single(messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsContractorName_WhenItIs200Characters()
    {
        string name = new('a', 200);
        OnboardingDraft draft = ValidDraft() with { Contractor = ValidDraft().Contractor! with { Name = name } };

        Assert.Equal(name, AssertValid(draft).Contractor.Name);
    }

    [Fact]
    public void Validate_RejectsContactName_WhenItIs201Characters()
    {
        OnboardingDraft draft = ValidDraft() with { Contact = ValidDraft().Contact! with { Name = new string('a', 201) } };

        AssertOnlyError(draft, "contact.name");
    }

    [Fact]
    public void Validate_RejectsPurpose_WhenLongerThanMaxPurposeLength()
    {
        OnboardingDraft draft = ValidDraft() with { Purpose = new string('p', OnboardingRules.MaxPurposeLength + 1) };

        AssertOnlyError(draft, "purpose");
    }

    // ---- contractor.corporateNumber ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_AcceptsDraft_WhenCorporateNumberIsAbsent(string? corporateNumber)
    {
        OnboardingDraft draft = ValidDraft() with { Contractor = ValidDraft().Contractor! with { CorporateNumber = corporateNumber } };

        Assert.Null(AssertValid(draft).Contractor.CorporateNumber);
    }

    [Theory]
    [InlineData("8000012050002")] // the National Tax Agency's number with its check digit changed
    [InlineData("700001205000")]
    [InlineData("７００００１２０５０００２")]
    [InlineData("7000-0120-50002")]
    public void Validate_NamesCorporateNumber_WhenPresentAndInvalid(string corporateNumber)
    {
        OnboardingDraft draft = ValidDraft() with { Contractor = ValidDraft().Contractor! with { CorporateNumber = corporateNumber } };

        Assert.Single(AssertOnlyError(draft, "contractor.corporateNumber"));
    }

    // ---- derived facts of the request ----

    [Fact]
    public void HandlesSensitiveData_IsTrue_WhenAnyDatasetIsSensitive()
    {
        OnboardingRequest request = AssertValid(WithDatasets(
            ValidDataset() with { IsSensitive = false },
            ValidDataset() with { IsSensitive = true },
            ValidDataset() with { IsSensitive = false }));

        Assert.True(request.HandlesSensitiveData);
    }

    [Fact]
    public void HandlesSensitiveData_IsFalse_WhenNoDatasetIsSensitive()
    {
        // A leak causing secondary damage is a different flag from 要配慮個人情報.
        OnboardingRequest request = AssertValid(WithDatasets(
            ValidDataset() with { IsSensitive = false, LeakCausesSecondaryDamage = true },
            ValidDataset() with { IsSensitive = false }));

        Assert.False(request.HandlesSensitiveData);
    }

    [Fact]
    public void TotalRecords_IsTheSumOfEveryDatasetsRecordCount()
    {
        OnboardingRequest request = AssertValid(WithDatasets(
            ValidDataset() with { RecordCount = 1 },
            ValidDataset() with { RecordCount = 20 },
            ValidDataset() with { RecordCount = 300 }));

        Assert.Equal(321L, request.TotalRecords);
    }

    [Fact]
    public void TotalRecords_DoesNotOverflow_WhenTheSumExceedsIntRange()
    {
        // Two datasets of MaxRecordCount (1e9) still fit an int; five (2.5e9) do not.
        const int count = 5;
        long expected = (long)OnboardingRules.MaxRecordCount * count;
        Assert.True(expected > int.MaxValue);
        DatasetDraft?[] datasets = [.. Enumerable.Range(0, count).Select(_ => ValidDataset() with { RecordCount = OnboardingRules.MaxRecordCount })];

        OnboardingRequest request = AssertValid(WithDatasets(datasets));

        Assert.Equal(expected, request.TotalRecords);
    }

    [Fact]
    public void TotalRecords_IsTwiceMaxRecordCount_ForTwoDatasetsOfMaxRecordCount()
    {
        OnboardingRequest request = AssertValid(WithDatasets(
            ValidDataset() with { RecordCount = OnboardingRules.MaxRecordCount },
            ValidDataset() with { RecordCount = OnboardingRules.MaxRecordCount }));

        Assert.Equal(2L * OnboardingRules.MaxRecordCount, request.TotalRecords);
    }

    [Fact]
    public void Validate_RefusesALineBreakInTheContractorsOrContactsName()
    {
        OnboardingDraft draft = ValidDraft();
        draft = draft with
        {
            Contractor = draft.Contractor! with { Name = "株式会社サンプル印刷\r\nBcc: everyone@example.jp" },
            Contact = draft.Contact! with { Name = "山田\0太郎" },
        };

        IReadOnlyDictionary<string, string[]> errors = AssertInvalid(draft);

        Assert.Contains("contractor.name", errors.Keys);
        Assert.Contains("contact.name", errors.Keys);
    }

    [Theory]
    [InlineData("Acting as a sales agent for mobile contracts (契約代理業)")]
    [InlineData("Printing and mailing DM (DM等の宛名印刷・発送代行)")]
    [InlineData("Data entry and processing (データ入力・編集・出力)")]
    [InlineData("Collecting charges (料金の回収・決済代行)")]
    [InlineData("Delivering invoices (請求書等の送達)")]
    [InlineData("Answering complaints in a call centre (コールセンター)")]
    [InlineData("Installing lines at customers' premises (回線設置工事)")]
    public void Qa_1_2_EveryKindOfOutsourcing_IsOnboardedAlike_WhateverTheFormOfTheContract(string purpose)
    {
        // 1-2: any contract by which another party handles the operator's personal data is outsourcing (委託).
        OnboardingRequest request = AssertValid(ValidDraft() with { Purpose = purpose });

        Assert.Equal(purpose, request.Purpose);
    }
}
