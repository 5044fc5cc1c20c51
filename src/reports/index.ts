// Reports without `vscode`: models, builders, loaders and renderers (HTML, markdown, webview shell).
export * from './audit';
export * from './data';
export * from './drift';
export * from './fireDrills';
export * from './format';
export * from './html';
export * from './markdown';
export * from './model';
export * from './shell';
export * from './evidence';
