using CodeDoc.ConsoleHost;

return await CodeDocCli.RunAsync(args, CliEnvironment.FromProcess()).ConfigureAwait(false);
