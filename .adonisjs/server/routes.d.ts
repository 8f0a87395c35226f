import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'assets.vendor': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'session.create': { paramsTuple?: []; params?: {} }
    'session.store': { paramsTuple?: []; params?: {} }
    'session.destroy': { paramsTuple?: []; params?: {} }
    'app.dashboard': { paramsTuple?: []; params?: {} }
    'app.dashboard.widget': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'app.preferences.theme_mode': { paramsTuple?: []; params?: {} }
  }
  GET: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'assets.vendor': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'session.create': { paramsTuple?: []; params?: {} }
    'app.dashboard': { paramsTuple?: []; params?: {} }
    'app.dashboard.widget': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  HEAD: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'assets.vendor': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'session.create': { paramsTuple?: []; params?: {} }
    'app.dashboard': { paramsTuple?: []; params?: {} }
    'app.dashboard.widget': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  POST: {
    'session.store': { paramsTuple?: []; params?: {} }
    'session.destroy': { paramsTuple?: []; params?: {} }
    'app.preferences.theme_mode': { paramsTuple?: []; params?: {} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}