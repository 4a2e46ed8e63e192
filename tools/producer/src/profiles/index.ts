import { dnsLookups } from './dns';
import { internalServices } from './internal';
import { mailTraffic } from './mail';
import { ntpSync } from './ntp';
import { ProfileName, TrafficProfile } from './profile';
import { webBrowsing } from './web';

export * from './profile';

export const PROFILES: Record<ProfileName, TrafficProfile> = {
  web: webBrowsing,
  dns: dnsLookups,
  internal: internalServices,
  ntp: ntpSync,
  mail: mailTraffic,
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
