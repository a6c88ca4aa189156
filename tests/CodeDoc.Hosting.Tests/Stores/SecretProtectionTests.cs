using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using CodeDoc.Hosting.Stores;
using CodeDoc.Hosting.Stores.Encryption;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodeDoc.Hosting.Tests.Stores;

/// <summary>The key sources, rotation, and what happens when a key is missing, wrong, or a row was altered.</summary>
public sealed class SecretProtectionTests : IAsyncDisposable
{
    private const string Canary = "canary-secret-value-e4d07b";
    private const string HookCanary = "canary-hook-secret-1f9a3c";

    private readonly StoreTestHost _host = new();
    private readonly List<string> _variables = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var variable in _variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        await _host.DisposeAsync();
    }

    [Fact]
    public void HostingKeyFile_Create_WritesOwnerOnlyRingAndRefusesToOverwrite()
    {
        var keyId = HostingKeyFile.Create(_host.KeyFile);

        Assert.Matches("^[0-9a-f]{8}$", keyId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_host.KeyFile));
        }

        Assert.DoesNotContain("\\u", File.ReadAllText(_host.KeyFile), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllText(_host.KeyFile));
        Assert.Equal(keyId, document.RootElement.GetProperty("current").GetString());
        Assert.Equal(32, Convert.FromBase64String(document.RootElement.GetProperty("keys")[0].GetProperty("key").GetString()!).Length);
        var before = File.ReadAllBytes(_host.KeyFile);
        var exception = Assert.Throws<SecretKeyException>(() => HostingKeyFile.Create(_host.KeyFile));
        Assert.Contains("exists already", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_host.KeyFile));
    }

    [Fact]
    public async Task KeyFile_ReadableByOthers_RefusedWithChmodAtStart()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes only.");
            return;
        }

        _host.EnsureKeyFile();
        File.SetUnixFileMode(_host.KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var services = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);
        var initializer = services.GetServices<IHostedService>().OfType<HostingStoreInitializer>().Single();

        var atStart = await Assert.ThrowsAsync<SecretKeyException>(() => initializer.StartAsync(Token));
        var onUse = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("gh"), Token));

        Assert.Contains($"chmod 600 {_host.KeyFile}", atStart.Message, StringComparison.Ordinal);
        Assert.Equal(atStart.Message, onUse.Message);
    }

    [Fact]
    public async Task KeyFile_Missing_RefusedWithTheInitCommand()
    {
        var services = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("gh"), Token));

        Assert.Contains($"codedoc keys init --key-file {_host.KeyFile}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyFile_NotJson_RefusedWithoutQuotingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_host.KeyFile)!);
        File.WriteAllText(_host.KeyFile, "k3y-material-canary-0c55 not json");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_host.KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var services = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("gh"), Token));

        Assert.Contains("not valid JSON", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyFile_AddKeyReencryptRemoveRetired_SecretsStayReadable()
    {
        var logs = new CapturedLogs();
        var oldKeyId = HostingKeyFile.Create(_host.KeyFile);
        var before = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);
        await SaveSecretsAsync(before);
        await before.DisposeAsync();

        var newKeyId = HostingKeyFile.AddKey(_host.KeyFile);
        var during = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile, logs: logs);
        await during.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("new-under-new-key"), Token);
        Assert.Equal(Canary, (await during.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token))!.Secrets["Token"]);

        var reencrypted = await during.GetRequiredService<ISecretRotation>().ReencryptAsync("alice", Token);
        Assert.Equal(2, reencrypted);
        Assert.Equal(0, await during.GetRequiredService<ISecretRotation>().ReencryptAsync("alice", Token));
        await during.DisposeAsync();

        Assert.Equal(1, HostingKeyFile.RemoveRetiredKeys(_host.KeyFile));
        var after = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);
        Assert.Equal(Canary, (await after.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token))!.Secrets["Token"]);
        Assert.Equal(HookCanary, (await after.GetRequiredService<IRepositoryStore>().GetAsync("api", Token))!.WebhookSecret);
        Assert.NotEqual(oldKeyId, newKeyId);
        Assert.Equal(newKeyId, after.GetRequiredService<ISecretProtector>().CurrentKeyId);
        Assert.DoesNotContain(Canary, logs.Text, StringComparison.Ordinal);
        using (var ring = JsonDocument.Parse(File.ReadAllText(_host.KeyFile)))
        {
            var key = Assert.Single(ring.RootElement.GetProperty("keys").EnumerateArray()).GetProperty("key").GetString()!;
            Assert.DoesNotContain(key, logs.Text, StringComparison.Ordinal);
        }

        var audit = new List<AuditEntry>();
        await foreach (var row in after.GetRequiredService<IAuditLog>().ReadAsync(Token))
        {
            audit.Add(row);
        }

        Assert.Equal(["2", "0"], audit.Where(r => r.Action == "secrets.reencrypted").Select(r => r.Details["count"]));
    }

    [Fact]
    public async Task KeyFile_RotatedWhileTheHostRuns_TheRunningHostFollowsTheFile()
    {
        HostingKeyFile.Create(_host.KeyFile);
        var running = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);
        await SaveSecretsAsync(running);

        var newKeyId = HostingKeyFile.AddKey(_host.KeyFile);
        var console = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);
        Assert.Equal(2, await console.GetRequiredService<ISecretRotation>().ReencryptAsync("ops", Token));
        HostingKeyFile.RemoveRetiredKeys(_host.KeyFile);

        Assert.Equal(newKeyId, running.GetRequiredService<ISecretProtector>().CurrentKeyId);
        Assert.Equal(Canary, (await running.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token))!.Secrets["Token"]);
        Assert.Equal(HookCanary, (await running.GetRequiredService<IRepositoryStore>().GetAsync("api", Token))!.WebhookSecret);
    }

    [Fact]
    public async Task KeyFile_RetiredKeyRemovedBeforeReencrypt_SaysWhichKeyIsMissing()
    {
        var oldKeyId = HostingKeyFile.Create(_host.KeyFile);
        await SaveSecretsAsync(_host.Build(options => options.Encryption.KeyFile = _host.KeyFile));
        HostingKeyFile.AddKey(_host.KeyFile);
        HostingKeyFile.RemoveRetiredKeys(_host.KeyFile);
        var services = _host.Build(options => options.Encryption.KeyFile = _host.KeyFile);

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token));

        Assert.Contains($"key '{oldKeyId}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("does not hold", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentKey_WrongKey_ThrowsNamingTheKeyIdNeverTheKeyOrSecret()
    {
        var variable = Variable();
        var first = NewKey();
        Environment.SetEnvironmentVariable(variable, first);
        await SaveSecretsAsync(_host.Build(options => options.Encryption.KeyEnvironmentVariable = variable));
        var second = NewKey();
        Environment.SetEnvironmentVariable(variable, second);
        var logs = new CapturedLogs();
        var services = _host.Build(options => options.Encryption.KeyEnvironmentVariable = variable, logs: logs);

        var provider = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token));
        var repository = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IRepositoryStore>().FindByUrlAsync("https://github.com/acme/api", Token));

        Assert.Contains($"key '{SecretKeyRing.DeriveKeyId(Convert.FromBase64String(first))}'", provider.Message, StringComparison.Ordinal);
        Assert.Contains($"{variable}_PREVIOUS", provider.Message, StringComparison.Ordinal);
        foreach (var text in new[] { provider.ToString(), repository.ToString(), logs.Text })
        {
            Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
            Assert.DoesNotContain(HookCanary, text, StringComparison.Ordinal);
            Assert.DoesNotContain(first, text, StringComparison.Ordinal);
            Assert.DoesNotContain(second, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EnvironmentKey_PreviousKeyThenReencrypt_ReadsWithoutThePreviousKey()
    {
        var variable = Variable();
        var first = NewKey();
        Environment.SetEnvironmentVariable(variable, first);
        await SaveSecretsAsync(_host.Build(options => options.Encryption.KeyEnvironmentVariable = variable));

        Environment.SetEnvironmentVariable(variable, NewKey());
        Environment.SetEnvironmentVariable(variable + "_PREVIOUS", NewKey() + "," + first);
        var rotating = _host.Build(options => options.Encryption.KeyEnvironmentVariable = variable);
        Assert.Equal(Canary, (await rotating.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token))!.Secrets["Token"]);
        Assert.Equal(2, await rotating.GetRequiredService<ISecretRotation>().ReencryptAsync("ops", Token));

        Environment.SetEnvironmentVariable(variable + "_PREVIOUS", null);
        var after = _host.Build(options => options.Encryption.KeyEnvironmentVariable = variable);
        Assert.Equal(Canary, (await after.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token))!.Secrets["Token"]);
        Assert.Equal(HookCanary, (await after.GetRequiredService<IRepositoryStore>().GetAsync("api", Token))!.WebhookSecret);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bm90LWEta2V5")]
    [InlineData("not base64 at all!")]
    public async Task EnvironmentKey_MissingOrNotAKey_RefusedWithoutEchoingIt(string? value)
    {
        var variable = Variable();
        Environment.SetEnvironmentVariable(variable, value);
        var services = _host.Build(options => options.Encryption.KeyEnvironmentVariable = variable);

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("gh"), Token));

        Assert.Contains(variable, exception.Message, StringComparison.Ordinal);
        Assert.Contains("base64", exception.Message, StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.DoesNotContain(value, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StoredCiphertext_AlteredWithRawSql_ThrowsRowAlteredWithoutTheSecret()
    {
        var services = _host.Build();
        await SaveSecretsAsync(services);
        _host.ExecuteRaw("UPDATE provider_configurations SET secrets = substr(secrets, 1, length(secrets) - 1) || X'00' WHERE id = 'gh'");

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token));

        Assert.Contains("the key is wrong or the row was altered", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredCiphertext_MovedToAnotherRow_FailsToDecrypt()
    {
        var services = _host.Build();
        var store = services.GetRequiredService<IProviderConfigurationStore>();
        await store.SaveAsync(Provider("victim"), Token);
        await store.SaveAsync(Provider("attacker") with { Secrets = new Dictionary<string, string> { ["Token"] = "harmless" } }, Token);
        _host.ExecuteRaw("UPDATE provider_configurations SET secrets = (SELECT secrets FROM provider_configurations WHERE id = 'victim') WHERE id = 'attacker'");

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => store.GetAsync("attacker", Token));

        Assert.Contains("provider:attacker", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AesGcmProtector_SameKeyIdButWrongKey_ThrowsKeyIsWrong()
    {
        var right = new AesGcmSecretProtector(Ring("k1", RandomNumberGenerator.GetBytes(32)));
        var wrong = new AesGcmSecretProtector(Ring("k1", RandomNumberGenerator.GetBytes(32)));
        var ciphertext = right.Protect(Canary, "provider:gh");

        var exception = Assert.Throws<SecretKeyException>(() => wrong.Unprotect(ciphertext, "provider:gh"));

        Assert.Contains("the key is wrong or the row was altered", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, exception.ToString(), StringComparison.Ordinal);
        Assert.Equal(Canary, right.Unprotect(ciphertext, "provider:gh"));
        Assert.Equal("k1", right.GetKeyId(ciphertext));
        Assert.NotEqual(ciphertext, right.Protect(Canary, "provider:gh"));
    }

    [Fact]
    public void AesGcmProtector_KeyIdInHeaderRelabelled_FailsToDecrypt()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var protector = new AesGcmSecretProtector(new SecretKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = key, ["k2"] = key }, "test ring", "hint"));
        var ciphertext = protector.Protect(Canary, "provider:gh");
        ciphertext[3] = (byte)'2';

        Assert.Equal("k2", protector.GetKeyId(ciphertext));
        Assert.Throws<SecretKeyException>(() => protector.Unprotect(ciphertext, "provider:gh"));
    }

    [Fact]
    public async Task DataProtection_KeyRingNotProtectedAtRest_Refused()
    {
        var services = _host.Build(
            options => options.Encryption.UseDataProtection = true,
            collection => collection.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_host.Folder, "dp-keys"))));

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("gh"), Token));

        Assert.Contains("ProtectKeysWithCertificate", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ProtectKeysWithDpapi", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ProtectKeysWithAzureKeyVault", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataProtection_NotRegistered_Refused()
    {
        var services = _host.Build(options => options.Encryption.UseDataProtection = true);

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("gh"), Token));

        Assert.Contains("AddDataProtection", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataProtection_ProtectedKeyRing_EncryptsSecretsAtRest()
    {
        void AddProtectedRing(IServiceCollection collection)
        {
            collection.AddDataProtection()
                .SetApplicationName("codedoc-tests")
                .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_host.Folder, "dp-keys")));
            collection.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new ReversingXmlEncryptor());
        }

        var first = _host.Build(options => options.Encryption.UseDataProtection = true, AddProtectedRing);
        await SaveSecretsAsync(first);
        Assert.Equal(DataProtectionSecretProtector.KeyId, first.GetRequiredService<ISecretProtector>().CurrentKeyId);
        var bytes = _host.ReadFileBytes();
        Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Canary)) >= 0);
        await first.DisposeAsync();

        var second = _host.Build(options => options.Encryption.UseDataProtection = true, AddProtectedRing);
        Assert.Equal(Canary, (await second.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token))!.Secrets["Token"]);
        Assert.Equal(HookCanary, (await second.GetRequiredService<IRepositoryStore>().GetAsync("api", Token))!.WebhookSecret);
        Assert.Equal(0, await second.GetRequiredService<ISecretRotation>().ReencryptAsync("ops", Token));

        _host.ExecuteRaw("UPDATE repositories SET webhook_secret = (SELECT secrets FROM provider_configurations WHERE id = 'gh') WHERE id = 'api'");
        var moved = await Assert.ThrowsAsync<SecretKeyException>(() => second.GetRequiredService<IRepositoryStore>().GetAsync("api", Token));
        Assert.DoesNotContain(Canary, moved.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeySourceChanged_FromKeyFileToDataProtection_SaysWhatEncryptedTheSecret()
    {
        await SaveSecretsAsync(_host.Build());
        var services = _host.Build(
            options => options.Encryption.UseDataProtection = true,
            collection =>
            {
                collection.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_host.Folder, "dp-keys")));
                collection.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new ReversingXmlEncryptor());
            });

        var exception = await Assert.ThrowsAsync<SecretKeyException>(() => services.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token));

        Assert.Contains("key file or environment variable", exception.Message, StringComparison.Ordinal);
    }

    private static ProviderConfiguration Provider(string id) => new()
    {
        Id = id,
        Category = ProviderCategory.Ai,
        Kind = "anthropic",
        Settings = new Dictionary<string, string?> { ["Model"] = "claude" },
        Secrets = new Dictionary<string, string> { ["ApiKey"] = "k", ["Token"] = Canary },
    };

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static SecretKeyRing Ring(string id, byte[] key) => new(id, new Dictionary<string, byte[]> { [id] = key }, "test ring", "Restore the key.");

    private static async Task SaveSecretsAsync(IServiceProvider services)
    {
        await services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(Provider("gh"), Token);
        await services.GetRequiredService<IRepositoryStore>().SaveAsync(
            new WatchedRepository { Id = "api", Url = "https://github.com/acme/api", WebhookHostKind = "github", WebhookSecret = HookCanary },
            Token);
    }

    private string Variable()
    {
        var variable = "CODEDOC_TEST_KEY_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        _variables.Add(variable);
        _variables.Add(variable + "_PREVIOUS");
        return variable;
    }

    /// <summary>Stands in for a certificate: enough to make the key ring "protected at rest" for the check.</summary>
    private sealed class ReversingXmlEncryptor : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
            new(new XElement("reversed", new string(plaintextElement.ToString(SaveOptions.DisableFormatting).Reverse().ToArray())), typeof(ReversingXmlDecryptor));
    }

    private sealed class ReversingXmlDecryptor : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement) => XElement.Parse(new string(encryptedElement.Value.Reverse().ToArray()));
    }
}
