namespace CodeDoc.Pipeline.Redaction;

/// <summary>The stable rule ids of <see cref="SecretDetectorCatalog"/>; they appear in placeholders and findings.</summary>
internal static class SecretRuleIds
{
    public const string PrivateKey = "private-key";
    public const string AnthropicApiKey = "anthropic-api-key";
    public const string OpenAIApiKey = "openai-api-key";
    public const string GitHubFineGrainedToken = "github-fine-grained-token";
    public const string GitHubToken = "github-token";
    public const string GitLabToken = "gitlab-token";
    public const string SlackWebhookUrl = "slack-webhook-url";
    public const string SlackToken = "slack-token";
    public const string DiscordWebhookUrl = "discord-webhook-url";
    public const string StripeSecretKey = "stripe-secret-key";
    public const string StripeWebhookSecret = "stripe-webhook-secret";
    public const string NpmToken = "npm-token";
    public const string PyPIToken = "pypi-token";
    public const string AtlassianApiToken = "atlassian-api-token";
    public const string HuggingFaceToken = "huggingface-token";
    public const string SendGridApiKey = "sendgrid-api-key";
    public const string GoogleApiKey = "google-api-key";
    public const string GoogleOAuthClientSecret = "google-oauth-client-secret";
    public const string AwsAccessKeyId = "aws-access-key-id";
    public const string AwsSecretAccessKey = "aws-secret-access-key";
    public const string AzureStorageConnectionString = "azure-storage-connection-string";
    public const string AzureSharedAccessKey = "azure-shared-access-key";
    public const string AzureSasToken = "azure-sas-token";
    public const string AzureAdClientSecret = "azure-ad-client-secret";
    public const string Jwt = "jwt";
    public const string UrlCredentials = "url-credentials";
    public const string AuthorizationHeader = "authorization-header";
    public const string GenericSecretAssignment = "generic-secret-assignment";
}
